package dev.orderflow.orchestration.order;

import java.util.Locale;

/** Where an order is in its life. */
public enum OrderStatus {
    /** Stored; stock reserved in full or in part; steps about to run. */
    ACCEPTED,
    /** Nothing could be reserved yet (or ship-complete and not all of it); waits for receipts. */
    BACKORDERED,
    /** A discount above the approval threshold waits for an approver. */
    PENDING_APPROVAL,
    /** The credit check said hold; waits for a credit release or a cancel. */
    CREDIT_HOLD,
    /** Credit passed; sent to fulfillment. */
    RELEASED,
    /** Some lines or quantities shipped. */
    PARTIALLY_SHIPPED,
    /** Everything reserved has shipped. */
    SHIPPED,
    /** Shipped and invoiced in full. */
    COMPLETED,
    /** Cancelled; reservations released, compensation done. */
    CANCELLED,
    /** The credit check rejected it; reservations released. */
    REJECTED,
    /** A step failed for good; in the exception queue. */
    EXCEPTION;

    /** The event type announcing that an order entered this status, e.g. {@code order.credit_hold}. */
    public String eventType() {
        return "order." + name().toLowerCase(Locale.ROOT);
    }
}
