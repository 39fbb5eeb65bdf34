package dev.orderflow.orchestration.stock;

import dev.orderflow.orchestration.support.DomainException;

/** A change would take on-hand below what open orders have reserved (or below zero). */
public class InsufficientStockException extends DomainException {

    public InsufficientStockException(String warehouse, String sku, long requestedOnHand, long reserved) {
        super(Kind.CONFLICT, "insufficient-stock", "Insufficient stock",
                "On-hand of " + sku + " at " + warehouse + " cannot become " + requestedOnHand + ": " + reserved
                        + " units are reserved by open orders. Cancel or ship those first.");
        with("warehouse", warehouse).with("sku", sku).with("reserved", reserved);
    }
}
