package dev.orderflow.orchestration.webhook;

import java.time.Instant;
import java.util.UUID;

/** One event on its way to one subscription; {@code eventId} is the stable {@code webhook-id}. */
public record Delivery(UUID id, UUID subscriptionId, UUID eventId, UUID orderId, int orderSeq, String eventType,
        String state, int attempts, Instant nextAttemptAt, Integer lastStatus, String lastError, Instant createdAt,
        Instant deliveredAt) {
}
