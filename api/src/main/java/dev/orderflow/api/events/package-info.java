/**
 * The live event stream, {@code GET /v1/events}: a caller's order events as Server-Sent Events,
 * resumable with {@code Last-Event-ID} from the outbox in PostgreSQL, on any instance.
 */
package dev.orderflow.api.events;
