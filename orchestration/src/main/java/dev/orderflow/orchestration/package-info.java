/**
 * Orderflow's domain and engine: orders and their lifecycle, stock and reservations, durable steps,
 * the event outbox and persistence. No web server lives here; {@code api} drives it.
 */
package dev.orderflow.orchestration;
