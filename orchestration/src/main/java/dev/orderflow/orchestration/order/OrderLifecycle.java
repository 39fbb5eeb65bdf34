package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.step.NewStep;
import dev.orderflow.orchestration.step.Step;
import dev.orderflow.orchestration.step.StepKind;
import dev.orderflow.orchestration.step.StepQueue;
import dev.orderflow.orchestration.step.StepState;
import dev.orderflow.orchestration.step.Steps;
import dev.orderflow.orchestration.stock.Reservations;
import dev.orderflow.orchestration.stock.StockLock;
import dev.orderflow.orchestration.support.DomainException;
import dev.orderflow.orchestration.support.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Clock;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The order's life after intake, as a script of named transitions: the credit decision, release,
 * shipments, invoicing, completion, and the compensations of a cancel. Each runs in one
 * transaction under the order's row lock, records its event there, and creates the steps that
 * follow; the steps start and released stock returns to Redis once it has committed.
 */
public class OrderLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(OrderLifecycle.class);
    static final String ENGINE = "engine";

    private final OrderRecords records;
    private final OrderChanges changes;
    private final Steps steps;
    private final StepQueue queue;
    private final StockLock lock;
    private final Reservations reservations;
    private final Orders orders;
    private final TransactionalOperator tx;

    public OrderLifecycle(DatabaseClient db, Steps steps, StepQueue queue, StockLock lock, Reservations reservations,
            Orders orders, TransactionalOperator tx, Clock clock) {
        this.records = new OrderRecords(db, clock);
        this.changes = new OrderChanges(db, clock);
        this.steps = steps;
        this.queue = queue;
        this.lock = lock;
        this.reservations = reservations;
        this.orders = orders;
        this.tx = tx;
    }

    // ---- what the engine reports (inside the engine's transaction) ----

    /** A step's call succeeded: move the order on. Runs in the caller's transaction. */
    public Mono<Effects> onStepSucceeded(Step step, String result) {
        Map<String, Object> answer = result == null || result.isBlank() ? Map.of() : Json.readObject(result);
        return records.lock(step.orderId()).flatMap(order -> switch (step.kind()) {
            case CREDIT_CHECK -> creditDecided(order, answer);
            case INVOICE -> invoiced(order, step, answer);
            case CREDIT_NOTE -> changes.recordInvoice(order, step, answer).thenReturn(Effects.none());
            case FULFILLMENT, CANCEL_FULFILLMENT -> Mono.just(Effects.none());
        });
    }

    /** A step failed for good: its order goes to the exception queue. Runs in the caller's transaction. */
    public Mono<Effects> onStepFailed(Step step, String error) {
        return records.lock(step.orderId()).flatMap(order -> {
            if (!order.status().canMoveTo(OrderStatus.EXCEPTION)) {
                LOG.warn("Step {} ({}) of {} order {} failed for good: {}", step.id(), step.kind(), order.status(), order.id(), error);
                return Mono.just(Effects.none());
            }
            return records.move(order, OrderStatus.EXCEPTION, ENGINE, Map.of("step", step.kind().name(), "error", error))
                    .thenReturn(Effects.none());
        });
    }

    private Mono<Effects> creditDecided(OrderRecord order, Map<String, Object> answer) {
        if (order.status() != OrderStatus.ACCEPTED) {
            // cancelled (or otherwise moved on) while the credit check ran: the decision no longer matters
            return Mono.just(Effects.none());
        }
        String decision = String.valueOf(answer.get("decision"));
        Map<String, Object> details = answer.get("reason") == null ? Map.of() : Map.of("reason", answer.get("reason"));
        return switch (decision) {
            case "APPROVED" -> release(order, ENGINE);
            case "HOLD" -> records.move(order, OrderStatus.CREDIT_HOLD, ENGINE, details).thenReturn(Effects.none());
            case "REJECTED" -> releaseStock(order)
                    .flatMap(released -> records.move(order, OrderStatus.REJECTED, ENGINE, details).thenReturn(released));
            // outside the contract: an operator decides (retry once credit answers sensibly, or cancel)
            default -> records.move(order, OrderStatus.EXCEPTION, ENGINE, Map.of("step", "CREDIT_CHECK",
                    "error", "credit answered an unknown decision: " + decision)).thenReturn(Effects.none());
        };
    }

    /** Credit passed: fulfil what is reserved, and invoice now if the order says so. */
    private Mono<Effects> release(OrderRecord order, String actor) {
        List<NewStep> next = new ArrayList<>();
        Map<Integer, Integer> reserved = unitsByLine(order, OrderLine::reserved);
        if (!reserved.isEmpty()) {
            next.add(StepPayloads.fulfillment(order, reserved));
        }
        if (order.invoicingPolicy() == InvoicingPolicy.ON_RELEASE) {
            next.add(StepPayloads.invoice(order, StepKind.INVOICE, unitsByLine(order, OrderLine::quantity)));
        }
        return records.move(order, OrderStatus.RELEASED, actor, Map.of())
                .then(start(next));
    }

    private Mono<Effects> invoiced(OrderRecord order, Step step, Map<String, Object> answer) {
        Map<Integer, Integer> units = StepPayloads.unitsOf(step.payload());
        return changes.recordInvoice(order, step, answer)
                .then(changes.addInvoiced(order.id(), units))
                .then(records.lock(order.id()))
                .flatMap(updated -> records.note(updated, "order.invoiced", ENGINE, Map.of("invoiceId", String.valueOf(answer.get("invoiceId"))))
                        .then(afterInvoice(updated, units)));
    }

    private Mono<Effects> afterInvoice(OrderRecord order, Map<Integer, Integer> units) {
        if (order.status() == OrderStatus.CANCELLED) {
            // invoiced while being cancelled: credit it straight back
            return start(List.of(StepPayloads.invoice(order, StepKind.CREDIT_NOTE, units)));
        }
        return completeIfDone(order);
    }

    private Mono<Effects> completeIfDone(OrderRecord order) {
        boolean invoicedInFull = order.lines().stream().allMatch(line -> line.invoiced() >= line.quantity());
        if (order.status() == OrderStatus.SHIPPED && invoicedInFull) {
            return records.move(order, OrderStatus.COMPLETED, ENGINE, Map.of()).thenReturn(Effects.none());
        }
        return Mono.just(Effects.none());
    }

    /**
     * Stock arrived for a waiting order (units moved from backordered to reserved already). A
     * backordered order is now accepted and goes to its credit check (or waits for approval); a
     * released one sends the new units to fulfillment. Runs in the caller's transaction.
     */
    Mono<Effects> backorderFilled(UUID orderId, Map<Integer, Integer> unitsByLine, String actor) {
        Map<String, Object> details = Map.of("allocated", unitsByLine.entrySet().stream()
                .map(entry -> Map.of("lineNo", entry.getKey(), "reserved", entry.getValue())).toList());
        return records.lock(orderId).flatMap(order -> switch (order.status()) {
            case BACKORDERED -> order.needsApproval()
                    ? records.move(order, OrderStatus.PENDING_APPROVAL, actor, details).thenReturn(Effects.none())
                    : records.move(order, OrderStatus.ACCEPTED, actor, details)
                            .then(start(List.of(StepPayloads.creditCheck(order.id(), order.customerId(), total(order), order.currency()))));
            case RELEASED, PARTIALLY_SHIPPED -> records.note(order, "order.backorder_allocated", actor, details)
                    .then(start(List.of(StepPayloads.fulfillment(order, unitsByLine))));
            default -> records.note(order, "order.backorder_allocated", actor, details).thenReturn(Effects.none());
        });
    }

    // ---- what people do (each its own transaction) ----

    /** An approver accepts a discount above the threshold; the credit check follows. */
    public Mono<Order> approve(UUID orderId, String actor) {
        return act(orderId, order -> {
            requireStatus(order, OrderStatus.PENDING_APPROVAL);
            NewStep creditCheck = StepPayloads.creditCheck(order.id(), order.customerId(), total(order), order.currency());
            return records.markApproved(order.id())
                    .then(records.move(order, OrderStatus.ACCEPTED, actor, Map.of("approvedBy", actor)))
                    .then(start(List.of(creditCheck)));
        });
    }

    /** Someone with the credit role lifts a credit hold: the order is released. */
    public Mono<Order> releaseCredit(UUID orderId, String actor) {
        return act(orderId, order -> {
            requireStatus(order, OrderStatus.CREDIT_HOLD);
            return release(order, actor);
        });
    }

    /** Cancels, compensating: stock back, the fulfillment request withdrawn, a credit note for anything invoiced. */
    public Mono<Order> cancel(UUID orderId, String reason, String actor) {
        return act(orderId, order -> {
            if (order.status() == OrderStatus.CANCELLED) {
                return Mono.just(Effects.none());
            }
            if (!order.status().canMoveTo(OrderStatus.CANCELLED)) {
                throw conflict(order, "it can no longer be cancelled");
            }
            return releaseStock(order)
                    .flatMap(released -> steps.cancelPending(order.id())
                            .then(compensations(order))
                            .flatMap(this::start)
                            .map(released::plus))
                    .flatMap(effects -> records.move(order, OrderStatus.CANCELLED, actor,
                            reason == null ? Map.of() : Map.of("reason", reason)).thenReturn(effects));
        });
    }

    /** An operator sends a failed order's failed steps round again; the order returns to where it was. */
    public Mono<Order> retry(UUID orderId, String actor) {
        return act(orderId, order -> {
            requireStatus(order, OrderStatus.EXCEPTION);
            OrderStatus back = order.statusBeforeException() == null ? OrderStatus.ACCEPTED : order.statusBeforeException();
            return steps.retryFailed(order.id())
                    .flatMap(retried -> records.move(order, back, actor, Map.of("retried", retried.size()))
                            .then(retried.isEmpty() && back == OrderStatus.ACCEPTED
                                    // nothing failed to re-run (credit answered nonsense): ask credit again
                                    ? start(List.of(StepPayloads.creditCheck(order.id(), order.customerId(), total(order), order.currency())))
                                    : Mono.just(Effects.steps(retried))));
        });
    }

    /** The warehouse confirms a shipment; idempotent by shipment id. */
    public Mono<Order> ship(UUID orderId, ShipmentRequest shipment, String actor) {
        return act(orderId, order -> changes.recordShipment(order, shipment, actor)
                .flatMap(recorded -> recorded ? afterShipment(order.id(), shipment, actor) : Mono.just(Effects.none())));
    }

    private Mono<Effects> afterShipment(UUID orderId, ShipmentRequest shipment, String actor) {
        Map<Integer, Integer> units = new LinkedHashMap<>();
        shipment.lines().forEach(line -> units.merge(line.lineNo(), line.quantity(), Integer::sum));
        return records.lock(orderId).flatMap(order -> {
            OrderStatus next = order.shippedInFull() ? OrderStatus.SHIPPED : OrderStatus.PARTIALLY_SHIPPED;
            List<NewStep> invoiceSteps = order.invoicingPolicy() == InvoicingPolicy.ON_SHIPMENT
                    ? List.of(StepPayloads.invoice(order, StepKind.INVOICE, units))
                    : List.of();
            Map<String, Object> details = Map.of("shipmentId", shipment.shipmentId(),
                    "lines", shipment.lines().stream().map(line -> Map.of("lineNo", line.lineNo(), "quantity", line.quantity())).toList());
            return records.move(order, next, actor, details)
                    .then(start(invoiceSteps))
                    .flatMap(effects -> records.lock(orderId).flatMap(this::completeIfDone).map(effects::plus));
        });
    }

    // ---- shared pieces ----

    /** Runs an action in one transaction, then its effects, then answers the order as it now is. */
    private Mono<Order> act(UUID orderId, java.util.function.Function<OrderRecord, Mono<Effects>> action) {
        return records.lock(orderId)
                .flatMap(action)
                .as(tx::transactional)
                .flatMap(this::apply)
                .then(orders.find(orderId));
    }

    /** After commit: start the new steps here, give released units back to Redis. */
    public Mono<Void> apply(Effects effects) {
        queue.announce(effects.newSteps());
        if (effects.releasedUnits().isEmpty() || effects.generation() == 0) {
            return Mono.empty();
        }
        return Flux.fromIterable(effects.releasedUnits().entrySet())
                .concatMap(entry -> reservations.adjust(effects.warehouse(), effects.generation(), entry.getKey(), entry.getValue(), false))
                // a rebuild since the commit already counted these units (Stale), or will; never count them twice
                .then();
    }

    private Mono<Effects> start(List<NewStep> next) {
        return steps.insert(next).thenReturn(Effects.steps(next.stream().map(NewStep::id).toList()));
    }

    /** Frees the order's reserved units in PostgreSQL; Redis follows after commit (see {@link #apply}). */
    private Mono<Effects> releaseStock(OrderRecord order) {
        return lock.shared(order.warehouse())
                .flatMap(generation -> changes.releaseReserved(order)
                        .map(units -> Effects.none().withRelease(order.warehouse(), generation, units)));
    }

    private Mono<List<NewStep>> compensations(OrderRecord order) {
        return steps.forOrder(order.id()).collectList().map(existing -> {
            List<NewStep> undo = new ArrayList<>();
            boolean fulfillmentSent = existing.stream().anyMatch(step -> step.kind() == StepKind.FULFILLMENT
                    && (step.state() == StepState.SUCCEEDED || step.state() == StepState.RUNNING));
            if (fulfillmentSent && !order.shippedInFull()) {
                undo.add(StepPayloads.cancelFulfillment(order.id()));
            }
            Map<Integer, Integer> invoiced = unitsByLine(order, OrderLine::invoiced);
            if (!invoiced.isEmpty()) {
                undo.add(StepPayloads.invoice(order, StepKind.CREDIT_NOTE, invoiced));
            }
            return undo;
        });
    }

    private static Map<Integer, Integer> unitsByLine(OrderRecord order, java.util.function.ToIntFunction<OrderLine> units) {
        Map<Integer, Integer> byLine = new LinkedHashMap<>();
        order.lines().forEach(line -> {
            if (units.applyAsInt(line) > 0) {
                byLine.put(line.lineNo(), units.applyAsInt(line));
            }
        });
        return byLine;
    }

    private static BigDecimal total(OrderRecord order) {
        return order.lines().stream()
                .map(line -> new OrderLineDraft(line.lineNo(), line.sku(), line.quantity(), line.unitPrice(), line.discountPercent()).amount())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static void requireStatus(OrderRecord order, OrderStatus expected) {
        if (order.status() != expected) {
            throw conflict(order, "this needs it to be " + expected);
        }
    }

    private static DomainException conflict(OrderRecord order, String why) {
        return OrderExceptions.notPossibleNow(order, ": " + why);
    }
}
