package dev.orderflow.orchestration.order;

import static java.util.Map.entry;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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

    /** Statuses an order never leaves. */
    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED || this == REJECTED;
    }

    /** Whether the lifecycle allows going from this status to {@code next}; see {@link Transitions}. */
    public boolean canMoveTo(OrderStatus next) {
        return Transitions.ALLOWED.get(this).contains(next);
    }

    /** The legal moves, one line per status: the lifecycle at a glance, and what the guard checks. */
    static final class Transitions {
        static final Map<OrderStatus, Set<OrderStatus>> ALLOWED = new EnumMap<>(Map.ofEntries(
                entry(ACCEPTED, EnumSet.of(PENDING_APPROVAL, CREDIT_HOLD, RELEASED, REJECTED, CANCELLED, EXCEPTION)),
                entry(BACKORDERED, EnumSet.of(ACCEPTED, PENDING_APPROVAL, CANCELLED, EXCEPTION)),
                entry(PENDING_APPROVAL, EnumSet.of(ACCEPTED, CANCELLED)),
                entry(CREDIT_HOLD, EnumSet.of(RELEASED, REJECTED, CANCELLED)),
                entry(RELEASED, EnumSet.of(PARTIALLY_SHIPPED, SHIPPED, CANCELLED, EXCEPTION)),
                entry(PARTIALLY_SHIPPED, EnumSet.of(PARTIALLY_SHIPPED, SHIPPED, CANCELLED, EXCEPTION)),
                entry(SHIPPED, EnumSet.of(COMPLETED, EXCEPTION)),
                entry(COMPLETED, EnumSet.noneOf(OrderStatus.class)),
                // a compensation that fails for good still needs an operator
                entry(CANCELLED, EnumSet.of(EXCEPTION)),
                entry(REJECTED, EnumSet.noneOf(OrderStatus.class)),
                // a retry restores the status the order had; a cancel ends it
                entry(EXCEPTION, EnumSet.of(ACCEPTED, BACKORDERED, RELEASED, PARTIALLY_SHIPPED, SHIPPED, CANCELLED))));

        private Transitions() {
        }
    }

    /** The event type announcing that an order entered this status, e.g. {@code order.credit_hold}. */
    public String eventType() {
        return "order." + name().toLowerCase(Locale.ROOT);
    }
}
