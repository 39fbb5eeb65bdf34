/**
 * Partner webhooks: subscriptions with rotatable Standard Webhooks secrets, the fan-out of outbox
 * events into deliveries, and their delivery - signed, in order per (subscription, order), retried
 * for more than a day, then dead-lettered.
 */
package dev.orderflow.orchestration.webhook;
