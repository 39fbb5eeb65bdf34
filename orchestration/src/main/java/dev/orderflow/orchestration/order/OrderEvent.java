package dev.orderflow.orchestration.order;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of an order's timeline, and of the outbox.
 *
 * @param sequence 1, 2, 3... per order: the order in which a partner must see them
 * @param data     the event's JSON payload
 */
public record OrderEvent(UUID id, UUID orderId, int sequence, String channel, String type, String actor, String data,
        Instant createdAt) {
}
