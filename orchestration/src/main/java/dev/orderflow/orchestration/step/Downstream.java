package dev.orderflow.orchestration.step;

import java.util.Locale;

/** The systems Orderflow drives orders through. Each has its own circuit breaker and bulkhead. */
public enum Downstream {
    /** Credit check (ERP or credit insurer). */
    CREDIT,
    /** Fulfillment (WMS or 3PL). */
    FULFILLMENT,
    /** Invoicing (ERP). */
    INVOICING;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
