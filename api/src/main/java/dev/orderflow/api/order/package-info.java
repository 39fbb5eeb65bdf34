/** The order endpoints: intake with idempotency, reads, the timeline. */
package dev.orderflow.api.order;
