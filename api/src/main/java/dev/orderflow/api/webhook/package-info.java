/** Webhook subscriptions, their delivery log, redelivery and replay. */
package dev.orderflow.api.webhook;
