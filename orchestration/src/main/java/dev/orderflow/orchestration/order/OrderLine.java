package dev.orderflow.orchestration.order;

import java.math.BigDecimal;

/** A stored line: what was ordered, and how much of it is reserved, waiting, shipped. */
public record OrderLine(int lineNo, String sku, int quantity, BigDecimal unitPrice, BigDecimal discountPercent,
        int reserved, int backordered, int shipped, int invoiced, String warehouse) {
}
