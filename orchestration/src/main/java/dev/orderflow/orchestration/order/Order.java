package dev.orderflow.orchestration.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An order as stored. */
public record Order(
        UUID id,
        String channel,
        String externalRef,
        String customerId,
        String currency,
        String warehouse,
        FulfillmentPolicy fulfillmentPolicy,
        InvoicingPolicy invoicingPolicy,
        OrderStatus status,
        BigDecimal total,
        Map<String, Object> shipTo,
        List<OrderLine> lines,
        Instant createdAt,
        Instant updatedAt) {

    public Order {
        lines = List.copyOf(lines);
    }
}
