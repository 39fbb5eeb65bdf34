/**
 * The durable step engine: steps are rows; workers in every instance claim due steps with
 * {@code FOR UPDATE SKIP LOCKED} under a lease, call the downstream system through a circuit
 * breaker, time limiter and bulkhead, and record the outcome with the order's transition in one
 * transaction. Retries wait in the row ({@code next_attempt_at}), so they survive restarts.
 */
package dev.orderflow.orchestration.step;
