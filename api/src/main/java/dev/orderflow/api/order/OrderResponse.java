package dev.orderflow.api.order;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.orderflow.orchestration.order.Order;
import dev.orderflow.orchestration.order.OrderLine;
import dev.orderflow.orchestration.step.Step;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An order as channels see it (contract: "Orders"). */
public record OrderResponse(
        UUID id,
        String channel,
        String externalRef,
        String customerId,
        String status,
        String warehouse,
        String fulfillmentPolicy,
        String invoicingPolicy,
        List<Line> lines,
        String total,
        String currency,
        Map<String, Object> shipTo,
        Instant createdAt,
        Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<StepView> steps) {

    /** One step of the order, as {@code GET /v1/orders/{id}} shows it. */
    public record StepView(String kind, String state, int attempts, String lastError, Instant nextAttemptAt) {
        static StepView of(Step step) {
            return new StepView(step.kind().name(), step.state().name(), step.attempts(), step.lastError(),
                    step.state() == dev.orderflow.orchestration.step.StepState.PENDING ? step.nextAttemptAt() : null);
        }
    }

    OrderResponse withSteps(List<StepView> views) {
        return new OrderResponse(id, channel, externalRef, customerId, status, warehouse, fulfillmentPolicy, invoicingPolicy,
                lines, total, currency, shipTo, createdAt, updatedAt, views);
    }

    /** One line with its allocation. */
    public record Line(int lineNo, String sku, int quantity, String unitPrice, String discountPercent, int reserved,
            int backordered, int shipped, int invoiced, String warehouse) {

        static Line of(OrderLine line) {
            return new Line(line.lineNo(), line.sku(), line.quantity(), money(line.unitPrice()),
                    line.discountPercent().stripTrailingZeros().toPlainString(), line.reserved(), line.backordered(),
                    line.shipped(), line.invoiced(), line.warehouse());
        }
    }

    public static OrderResponse of(Order order) {
        return new OrderResponse(order.id(), order.channel(), order.externalRef(), order.customerId(), order.status().name(),
                order.warehouse(), order.fulfillmentPolicy().name(), order.invoicingPolicy().name(),
                order.lines().stream().map(Line::of).toList(), money(order.total()), order.currency(),
                order.shipTo(), order.createdAt(), order.updatedAt(), null);
    }

    /** Money as a decimal string with at least cents: "12.50", "0.1234". */
    static String money(java.math.BigDecimal amount) {
        java.math.BigDecimal stripped = amount.stripTrailingZeros();
        return (stripped.scale() < 2 ? stripped.setScale(2) : stripped).toPlainString();
    }
}
