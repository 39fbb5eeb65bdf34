package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.step.NewStep;
import dev.orderflow.orchestration.step.StepKind;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The bodies Orderflow sends downstream, per the contract, fixed when a step is created. */
final class StepPayloads {

    private StepPayloads() {
    }

    static NewStep creditCheck(UUID orderId, String customerId, BigDecimal amount, String currency) {
        return NewStep.of(orderId, StepKind.CREDIT_CHECK, Map.of("orderId", orderId, "customerId", customerId,
                "amount", amount.setScale(2).toPlainString(), "currency", currency));
    }

    /** Fulfillment of the given units per line (line number to units). */
    static NewStep fulfillment(OrderRecord order, Map<Integer, Integer> unitsByLine) {
        List<Map<String, Object>> lines = order.lines().stream()
                .filter(line -> unitsByLine.getOrDefault(line.lineNo(), 0) > 0)
                .map(line -> Map.<String, Object>of("lineNo", line.lineNo(), "sku", line.sku(), "quantity", unitsByLine.get(line.lineNo())))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", order.id());
        body.put("warehouse", order.warehouse());
        body.put("lines", lines);
        body.put("shipTo", order.shipTo() == null ? Map.of() : order.shipTo());
        return NewStep.of(order.id(), StepKind.FULFILLMENT, body);
    }

    static NewStep cancelFulfillment(UUID orderId) {
        return NewStep.of(orderId, StepKind.CANCEL_FULFILLMENT, Map.of("orderId", orderId));
    }

    /** An invoice (or credit note) for the given units per line, priced as ordered. */
    static NewStep invoice(OrderRecord order, StepKind kind, Map<Integer, Integer> unitsByLine) {
        List<Map<String, Object>> lines = order.lines().stream()
                .filter(line -> unitsByLine.getOrDefault(line.lineNo(), 0) > 0)
                .map(line -> {
                    int units = unitsByLine.get(line.lineNo());
                    return Map.<String, Object>of("lineNo", line.lineNo(), "sku", line.sku(), "quantity", units,
                            "amount", amount(line, units).toPlainString());
                })
                .toList();
        BigDecimal total = order.lines().stream()
                .filter(line -> unitsByLine.getOrDefault(line.lineNo(), 0) > 0)
                .map(line -> amount(line, unitsByLine.get(line.lineNo())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", order.id());
        body.put("customerId", order.customerId());
        body.put("kind", kind == StepKind.CREDIT_NOTE ? "CREDIT_NOTE" : "INVOICE");
        body.put("lines", lines);
        body.put("total", total.setScale(2).toPlainString());
        body.put("currency", order.currency());
        return NewStep.of(order.id(), kind, body);
    }

    /** Units per line number in an invoice or fulfillment payload. */
    @SuppressWarnings("unchecked")
    static Map<Integer, Integer> unitsOf(String payload) {
        Map<Integer, Integer> units = new LinkedHashMap<>();
        List<Map<String, Object>> lines = (List<Map<String, Object>>) dev.orderflow.orchestration.support.Json.readObject(payload).get("lines");
        lines.forEach(line -> units.merge(((Number) line.get("lineNo")).intValue(), ((Number) line.get("quantity")).intValue(), Integer::sum));
        return units;
    }

    private static BigDecimal amount(OrderLine line, int units) {
        return new OrderLineDraft(line.lineNo(), line.sku(), units, line.unitPrice(), line.discountPercent()).amount();
    }
}
