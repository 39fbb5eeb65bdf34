package dev.orderflow.orchestration.order;

/** How much of an order may ship before all of it is there. */
public enum FulfillmentPolicy {
    /** Reserve and ship what is there; the rest waits as backorders. */
    SHIP_PARTIAL,
    /** Reserve all of it or none of it. */
    SHIP_COMPLETE
}
