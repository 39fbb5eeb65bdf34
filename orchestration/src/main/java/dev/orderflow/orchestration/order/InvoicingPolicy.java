package dev.orderflow.orchestration.order;

/** When an order is invoiced. */
public enum InvoicingPolicy {
    /** For the shipped quantities, as they ship. */
    ON_SHIPMENT,
    /** In full when credit releases it. */
    ON_RELEASE
}
