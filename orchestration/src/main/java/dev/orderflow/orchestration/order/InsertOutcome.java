package dev.orderflow.orchestration.order;

import java.util.UUID;

/** What happened to one order of a batch insert. */
public sealed interface InsertOutcome {

    /** Stored. */
    record Inserted(UUID orderId) implements InsertOutcome {
    }

    /** Not stored: the principal's idempotency key already belongs to another request. */
    record KeyTaken(UUID orderId) implements InsertOutcome {
    }

    /** Not stored: the channel already has an order with this external reference. */
    record ExternalRefTaken(UUID orderId, UUID existingOrderId) implements InsertOutcome {
    }
}
