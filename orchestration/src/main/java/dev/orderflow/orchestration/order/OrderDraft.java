package dev.orderflow.orchestration.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An order as a channel posted it, checked for shape, with the identity it will be stored under.
 *
 * @param principalId    who posted it: idempotency keys are scoped to the principal
 * @param idempotencyKey the client's {@code Idempotency-Key}
 * @param requestHash    fingerprint of the request: same key with another body is refused
 * @param shipTo         the address as given (stored as JSON)
 * @param origin         the source document's identity as JSON (an EDI 850's sender, PO and line ids), or null
 */
public record OrderDraft(
        UUID id,
        String channel,
        UUID principalId,
        String actor,
        String idempotencyKey,
        byte[] requestHash,
        String externalRef,
        String customerId,
        String currency,
        String warehouse,
        FulfillmentPolicy fulfillmentPolicy,
        InvoicingPolicy invoicingPolicy,
        Map<String, Object> shipTo,
        List<OrderLineDraft> lines,
        Instant createdAt,
        String origin) {

    public OrderDraft {
        lines = List.copyOf(lines);
    }

    /** An order posted as it is (JSON over REST): no source document to remember. */
    public OrderDraft(UUID id, String channel, UUID principalId, String actor, String idempotencyKey, byte[] requestHash,
            String externalRef, String customerId, String currency, String warehouse, FulfillmentPolicy fulfillmentPolicy,
            InvoicingPolicy invoicingPolicy, Map<String, Object> shipTo, List<OrderLineDraft> lines, Instant createdAt) {
        this(id, channel, principalId, actor, idempotencyKey, requestHash, externalRef, customerId, currency, warehouse,
                fulfillmentPolicy, invoicingPolicy, shipTo, lines, createdAt, null);
    }

    public BigDecimal total() {
        return lines.stream().map(OrderLineDraft::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
