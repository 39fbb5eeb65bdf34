package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.support.DomainException;
import dev.orderflow.orchestration.support.FieldError;
import dev.orderflow.orchestration.support.ValidationException;
import java.util.List;
import java.util.UUID;

/** The ways intake says no, each a problem a channel can act on. */
public final class OrderExceptions {

    private OrderExceptions() {
    }

    public static DomainException notFound(UUID id) {
        return new DomainException(DomainException.Kind.NOT_FOUND, "order-not-found", "Order not found",
                "No order " + id + " that you may see.");
    }

    /**
     * The order's status does not allow this ({@code why}, after "Order id is STATUS"); the status is
     * also given as {@code orderStatus} (not {@code status}, which is the problem's HTTP status).
     */
    static DomainException notPossibleNow(OrderRecord order, String why) {
        return new DomainException(DomainException.Kind.CONFLICT, "invalid-transition", "Not possible now",
                "Order " + order.id() + " is " + order.status() + why + ".").with("orderStatus", order.status().name());
    }

    static DomainException notShippable(OrderRecord order) {
        return new DomainException(DomainException.Kind.CONFLICT, "not-shippable", "Not released",
                "Order " + order.id() + " is " + order.status() + "; shipments are taken for released orders.")
                .with("orderStatus", order.status().name());
    }

    public static ValidationException unknownSkus(String warehouse, List<String> skus) {
        List<FieldError> errors = skus.stream().map(sku -> new FieldError("lines.sku", "unknown SKU '" + sku + "' at " + warehouse)).toList();
        ValidationException error = new ValidationException(DomainException.Kind.UNPROCESSABLE,
                "Warehouse " + warehouse + " does not stock: " + String.join(", ", skus) + ".", errors);
        error.with("unknownSkus", skus);
        return error;
    }

    public static ValidationException unknownWarehouse(String warehouse) {
        ValidationException error = new ValidationException(DomainException.Kind.UNPROCESSABLE,
                "Unknown warehouse " + warehouse + ".", List.of(new FieldError("warehouse", "unknown warehouse '" + warehouse + "'")));
        error.with("unknownWarehouses", List.of(warehouse));
        return error;
    }

    public static DomainException duplicateExternalRef(String externalRef, UUID existingOrderId) {
        return new DomainException(DomainException.Kind.CONFLICT, "duplicate-external-ref", "Duplicate external reference",
                "Your channel already has order " + existingOrderId + " with externalRef " + externalRef + ".")
                .with("existingOrderId", existingOrderId);
    }

    public static DomainException keyReusedWithOtherBody() {
        return new DomainException(DomainException.Kind.UNPROCESSABLE, "idempotency-key-reused", "Idempotency key reused",
                "This Idempotency-Key was used with a different request body; use a new key for a new request.");
    }

    public static DomainException keyInFlight() {
        return new DomainException(DomainException.Kind.CONFLICT, "idempotency-key-in-flight", "Request in progress",
                "A request with this Idempotency-Key is still being processed; retry after it completes.")
                .with("retryAfterSeconds", 1);
    }

    public static DomainException stockUnavailable(String detail) {
        return new DomainException(DomainException.Kind.UNAVAILABLE, "stock-unavailable", "Service unavailable",
                detail + " Nothing of this order was kept; retry with the same Idempotency-Key.");
    }

    public static ValidationException totalTooLarge(java.math.BigDecimal max) {
        return new ValidationException(DomainException.Kind.UNPROCESSABLE,
                "The order's total is above " + max.toPlainString() + "; split it into several orders.",
                List.of(new FieldError("lines", "order total above " + max.toPlainString())));
    }

    /** More orders wait than intake takes on: shed now, before they queue without bound. */
    public static DomainException overloaded() {
        return new DomainException(DomainException.Kind.UNAVAILABLE, "overloaded", "Service overloaded",
                "Orderflow is taking more orders than it can store right now. Nothing of this order was kept; "
                        + "retry after the Retry-After delay with the same Idempotency-Key.");
    }

    /** PostgreSQL failed mid-commit and could not be asked since: the order may or may not be stored. */
    public static DomainException outcomeUnknown() {
        return new DomainException(DomainException.Kind.UNAVAILABLE, "outcome-unknown", "Service unavailable",
                "The database failed while storing this order, and whether it was stored is not known yet. "
                        + "Retry with the same Idempotency-Key: you will get the order if it was stored, or it will be taken now.");
    }
}
