package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.stock.ReservationRequest;
import dev.orderflow.orchestration.stock.ReservationResult;
import dev.orderflow.orchestration.stock.Reservations;
import dev.orderflow.orchestration.stock.StockLock;
import dev.orderflow.orchestration.stock.StockRebuilder;
import dev.orderflow.orchestration.stock.WarehouseKeys;
import dev.orderflow.orchestration.support.DomainException;
import dev.orderflow.orchestration.support.Ids;
import dev.orderflow.orchestration.support.Json;
import dev.orderflow.orchestration.step.NewStep;
import dev.orderflow.orchestration.step.StepQueue;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Takes an order: reserve in Redis (one script call), then commit in PostgreSQL (one transaction),
 * then answer. If the commit fails the reservation is released and the channel is told to retry
 * (503); if this process dies in between, the sweeper releases it. A commit happens only if the
 * reservation was made against the warehouse's current generation, so a Redis flush or rebuild
 * in the middle can never let two orders have the same unit.
 */
public class OrderIntake {

    private static final Logger LOG = LoggerFactory.getLogger(OrderIntake.class);

    private final Reservations reservations;
    private final StockRebuilder rebuilder;
    private final StockLock lock;
    private final Orders orders;
    private final IdempotencyRecords idempotency;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final StepQueue queue;
    private final BigDecimal approvalThreshold;

    public OrderIntake(Reservations reservations, StockRebuilder rebuilder, StockLock lock, Orders orders,
            IdempotencyRecords idempotency, TransactionalOperator tx, Clock clock, StepQueue queue,
            BigDecimal approvalThresholdPercent) {
        this.queue = queue;
        this.approvalThreshold = approvalThresholdPercent;
        this.reservations = reservations;
        this.rebuilder = rebuilder;
        this.lock = lock;
        this.orders = orders;
        this.idempotency = idempotency;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Accepts an order.
     *
     * @param render turns the stored order into the response body, which is kept for replays
     */
    public Mono<IntakeResult> accept(OrderDraft draft, Function<Order, String> render) {
        return attempt(draft, render, true);
    }

    private Mono<IntakeResult> attempt(OrderDraft draft, Function<Order, String> render, boolean mayRetry) {
        Instant reservedAt = clock.instant();
        return reserve(draft)
                .flatMap(result -> afterReservation(draft, result, reservedAt, render, mayRetry));
    }

    private Mono<IntakeResult> afterReservation(OrderDraft draft, ReservationResult result, Instant reservedAt,
            Function<Order, String> render, boolean mayRetry) {
        if (result instanceof ReservationResult.Reserved reserved) {
            return commit(draft, reserved, reservedAt, render, mayRetry);
        }
        if (result instanceof ReservationResult.HeldByOtherOrder) {
            return replayOrRefuse(draft);
        }
        List<String> unknown = ((ReservationResult.UnknownSkus) result).skus();
        return Mono.error(OrderExceptions.unknownSkus(draft.warehouse(), unknown));
    }

    private Mono<ReservationResult> reserve(OrderDraft draft) {
        List<ReservationRequest> request = List.of(reservationRequest(draft));
        return reservations.reserve(draft.warehouse(), request)
                .switchIfEmpty(Mono.defer(() -> loadWarehouseThenReserve(draft, request)))
                .map(results -> results.get(0));
    }

    /** Redis lost the warehouse (first use, restart, flush): load it from PostgreSQL, once, then try again. */
    private Mono<List<ReservationResult>> loadWarehouseThenReserve(OrderDraft draft, List<ReservationRequest> request) {
        return rebuilder.rebuild(draft.warehouse(), false)
                .flatMap(exists -> exists
                        ? reservations.reserve(draft.warehouse(), request)
                        : Mono.error(OrderExceptions.unknownWarehouse(draft.warehouse())))
                .switchIfEmpty(Mono.error(() -> OrderExceptions.stockUnavailable("Stock is being reloaded.")));
    }

    private Mono<IntakeResult> commit(OrderDraft draft, ReservationResult.Reserved reserved, Instant reservedAt,
            Function<Order, String> render, boolean mayRetry) {
        PreparedOrder prepared = prepare(draft, reserved, render);
        return persist(prepared, reserved.generation(), reservedAt)
                .onErrorResume(OrderIntake::isInfrastructureFailure, error -> {
                    LOG.warn("Order {} could not be stored; its reservation is released", draft.id(), error);
                    return releaseThen(draft, Mono.error(OrderExceptions.stockUnavailable("The order could not be stored.")));
                })
                .flatMap(outcome -> afterCommit(draft, prepared, outcome, render, mayRetry));
    }

    private Mono<IntakeResult> afterCommit(OrderDraft draft, PreparedOrder prepared, Persisted outcome,
            Function<Order, String> render, boolean mayRetry) {
        if (outcome instanceof Persisted.Stored) {
            // committed: the credit check starts now, on this instance, without waiting for a poll
            queue.announce(prepared.firstSteps().stream().map(NewStep::id).toList());
            return Mono.just(new IntakeResult.Created(prepared.order(), prepared.response()));
        }
        if (outcome instanceof Persisted.Refused refused) {
            return releaseThen(draft, whyRefused(draft, refused.outcome()));
        }
        // stale: Redis was reloaded since the reservation; release it and reserve once more
        return releaseThen(draft, mayRetry
                ? attempt(draft, render, false)
                : Mono.error(OrderExceptions.stockUnavailable("Stock was being reloaded.")));
    }

    /** One transaction: the warehouse lock (shared), the generation check, the order's rows. */
    private Mono<Persisted> persist(PreparedOrder prepared, long generation, Instant reservedAt) {
        return lock.shared(prepared.draft().warehouse())
                .flatMap(current -> current != generation || tooLate(reservedAt)
                        ? Mono.just((Persisted) new Persisted.Stale())
                        : orders.insert(List.of(prepared)).map(outcomes -> toPersisted(outcomes.get(0))))
                .as(tx::transactional);
    }

    private static boolean isInfrastructureFailure(Throwable error) {
        return !(error instanceof DomainException);
    }

    /** Past the commit window the sweeper may already be releasing this reservation: do not commit. */
    private boolean tooLate(Instant reservedAt) {
        return clock.instant().isAfter(reservedAt.plus(Reservations.COMMIT_WINDOW));
    }

    private static Persisted toPersisted(InsertOutcome outcome) {
        return outcome instanceof InsertOutcome.Inserted ? new Persisted.Stored() : new Persisted.Refused(outcome);
    }

    private Mono<IntakeResult> whyRefused(OrderDraft draft, InsertOutcome outcome) {
        if (outcome instanceof InsertOutcome.ExternalRefTaken taken) {
            return Mono.error(OrderExceptions.duplicateExternalRef(draft.externalRef(), taken.existingOrderId()));
        }
        return replayOrRefuse(draft);
    }

    /** The key is taken: the same request again is replayed; another body is refused; a twin still running is 409. */
    private Mono<IntakeResult> replayOrRefuse(OrderDraft draft) {
        return idempotency.find(draft.principalId(), draft.idempotencyKey())
                .flatMap(stored -> stored.sameRequest(draft.requestHash())
                        ? Mono.just((IntakeResult) new IntakeResult.Replayed(stored.status(), stored.body(), stored.orderId()))
                        : Mono.error(OrderExceptions.keyReusedWithOtherBody()))
                .switchIfEmpty(Mono.error(OrderExceptions::keyInFlight));
    }

    private <T> Mono<T> releaseThen(OrderDraft draft, Mono<T> next) {
        return reservations.release(draft.warehouse(), List.of(draft.id()))
                // the sweeper releases it after the deadline if Redis cannot be reached now
                .onErrorResume(error -> {
                    LOG.warn("Could not release the reservation of order {} now; the sweeper will", draft.id(), error);
                    return Mono.empty();
                })
                .then(next);
    }

    private static ReservationRequest reservationRequest(OrderDraft draft) {
        WarehouseKeys keys = new WarehouseKeys(draft.warehouse());
        List<ReservationRequest.Demand> demand = draft.lines().stream()
                .map(line -> new ReservationRequest.Demand(line.sku(), line.quantity()))
                .toList();
        return new ReservationRequest(draft.id(), draft.fulfillmentPolicy() == FulfillmentPolicy.SHIP_COMPLETE,
                keys.idempotencyMarker(draft.principalId(), draft.idempotencyKey()), demand);
    }

    private PreparedOrder prepare(OrderDraft draft, ReservationResult.Reserved reserved, Function<Order, String> render) {
        List<LineAllocation> allocations = LineAllocation.spread(draft.lines(), reserved.unitsBySku());
        boolean needsApproval = draft.lines().stream().anyMatch(line -> line.discountPercent().compareTo(approvalThreshold) > 0);
        OrderStatus reservedStatus = LineAllocation.statusOf(allocations);
        OrderStatus status = reservedStatus == OrderStatus.ACCEPTED && needsApproval ? OrderStatus.PENDING_APPROVAL : reservedStatus;
        List<NewStep> firstSteps = status == OrderStatus.ACCEPTED
                ? List.of(StepPayloads.creditCheck(draft.id(), draft.customerId(), draft.total(), draft.currency()))
                : List.of();
        List<OrderLine> lines = allocations.stream()
                .map(allocation -> new OrderLine(allocation.line().lineNo(), allocation.line().sku(), allocation.line().quantity(),
                        allocation.line().unitPrice(), allocation.line().discountPercent(), allocation.reserved(),
                        allocation.backordered(), 0, 0, draft.warehouse()))
                .toList();
        Order order = new Order(draft.id(), draft.channel(), draft.externalRef(), draft.customerId(), draft.currency(),
                draft.warehouse(), draft.fulfillmentPolicy(), draft.invoicingPolicy(), status, draft.total(), draft.shipTo(),
                lines, draft.createdAt(), draft.createdAt());
        OrderEvent event = new OrderEvent(Ids.next(), draft.id(), 1, draft.channel(), status.eventType(), draft.actor(),
                Json.write(eventData(order)), draft.createdAt());
        return new PreparedOrder(draft, allocations, status, needsApproval, order, event, firstSteps, render.apply(order));
    }

    static Map<String, Object> eventData(Order order) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", order.id());
        data.put("externalRef", order.externalRef());
        data.put("channel", order.channel());
        data.put("status", order.status());
        data.put("lines", order.lines().stream()
                .map(line -> Map.of("lineNo", line.lineNo(), "sku", line.sku(), "quantity", line.quantity(),
                        "reserved", line.reserved(), "backordered", line.backordered()))
                .toList());
        return data;
    }

    /** What the commit transaction did. */
    private sealed interface Persisted {
        record Stored() implements Persisted {
        }

        record Refused(InsertOutcome outcome) implements Persisted {
        }

        record Stale() implements Persisted {
        }
    }
}
