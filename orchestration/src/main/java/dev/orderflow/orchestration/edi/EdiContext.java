package dev.orderflow.orchestration.edi;

import java.time.Instant;
import java.util.UUID;

/**
 * Who posted an interchange and where its orders go.
 *
 * @param channel the channel the orders belong to
 * @param principalId who posted it: PO-number idempotency keys are scoped to the principal, as any key is
 * @param actor the name recorded on each order's timeline
 * @param warehouse where the orders reserve stock
 */
public record EdiContext(String channel, UUID principalId, String actor, String warehouse, Instant receivedAt) {
}
