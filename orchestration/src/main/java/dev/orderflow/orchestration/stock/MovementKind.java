package dev.orderflow.orchestration.stock;

/** Why on-hand changed, one row of the stock ledger each. */
public enum MovementKind {
    /** On-hand set to a counted figure ({@code PUT /v1/inventory/...}). */
    COUNT,
    /** Goods received. */
    RECEIPT,
    /** A correction with a reason code (damage, loss, found). */
    ADJUSTMENT,
    /** Goods left with a shipment. */
    SHIPMENT
}
