package dev.orderflow.orchestration.stock;

import dev.orderflow.orchestration.support.DomainException;

/** A receipt or adjustment for a SKU the warehouse does not stock yet (set it with PUT first). */
public class UnknownStockItemException extends DomainException {

    public UnknownStockItemException(String warehouse, String sku) {
        super(Kind.UNPROCESSABLE, "unknown-stock-item", "Unknown stock item",
                sku + " is not stocked at " + warehouse + "; create it with PUT /v1/inventory/" + warehouse + "/" + sku + ".");
        with("warehouse", warehouse).with("sku", sku);
    }
}
