package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.stock.ReservationRequest;
import dev.orderflow.orchestration.stock.ReservationResult;
import dev.orderflow.orchestration.stock.Reservations;
import dev.orderflow.orchestration.stock.StockRebuilder;
import dev.orderflow.orchestration.stock.WarehouseKeys;
import dev.orderflow.orchestration.step.NewStep;
import dev.orderflow.orchestration.step.StepQueue;
import dev.orderflow.orchestration.support.Ids;
import dev.orderflow.orchestration.support.Json;
import dev.orderflow.orchestration.support.MicroBatcher;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Takes orders: reserve in Redis (one script call), commit in PostgreSQL (one transaction), then
 * answer. Orders that arrive close together share both: a {@link MicroBatcher} groups them per
 * warehouse, so under load one script call and one multi-row transaction serve a whole batch, and
 * each order is answered only after the commit that stored it.
 *
 * <p>If the commit fails the batch's reservations are released and its orders told to retry
 * (503); if this process dies in between, the sweeper releases them. A commit happens only if the
 * reservations were made against the warehouse's current generation, so a Redis flush or rebuild
 * in the middle can never let two orders have the same unit.
 */
public class OrderIntake {

    private static final Logger LOG = LoggerFactory.getLogger(OrderIntake.class);
    /** The largest order total stored (orders.total is numeric(19,2)), with room to spare. */
    static final BigDecimal MAX_TOTAL = new BigDecimal("999999999999999.99");

    private final Reservations reservations;
    private final StockRebuilder rebuilder;
    private final IntakeCommit commit;
    private final IdempotencyRecords idempotency;
    private final Clock clock;
    private final StepQueue queue;
    private final BigDecimal approvalThreshold;
    private final IntakeMetrics metrics;
    private final MicroBatcher<Submission, IntakeResult> batcher;
    private final CommittedReservations committed = new CommittedReservations();

    public OrderIntake(Reservations reservations, StockRebuilder rebuilder, IntakeCommit commit, IdempotencyRecords idempotency,
            Clock clock, StepQueue queue, BigDecimal approvalThresholdPercent, MicroBatcher.Limits limits, IntakeMetrics metrics) {
        this.reservations = reservations;
        this.rebuilder = rebuilder;
        this.commit = commit;
        this.idempotency = idempotency;
        this.clock = clock;
        this.queue = queue;
        this.approvalThreshold = approvalThresholdPercent;
        this.metrics = metrics;
        this.batcher = new MicroBatcher<>(submission -> submission.draft().warehouse(), batch -> takeBatch(batch, null), limits,
                OrderExceptions::overloaded, metrics::batchStarted);
        metrics.watchQueue(batcher::queued);
    }

    /**
     * Accepts an order.
     *
     * @param render turns the stored order into the response body, which is kept for replays
     */
    public Mono<IntakeResult> accept(OrderDraft draft, Function<Order, String> render) {
        if (draft.total().compareTo(MAX_TOTAL) > 0) {
            return Mono.error(OrderExceptions.totalTooLarge(MAX_TOTAL));
        }
        return batcher.submit(new Submission(draft, render, true));
    }

    /**
     * Accepts the orders of one document (an EDI interchange) as one: one reservation call and one
     * transaction for all of them, which also runs {@code alongside} (recording the document as
     * taken), so an outage leaves none of them and a success leaves all that could be taken. Orders
     * refused on their own (a key or reference taken, unknown items) do not stop the others.
     *
     * <p>It does not queue behind other batches nor count against their limits: a document is one
     * request, and its size is capped where it is read.
     *
     * @param drafts    orders of one warehouse
     * @param alongside work that commits with the orders, or on its own if none is to be stored
     * @return each order's answer, in order; an error answer is that order's refusal
     */
    public Mono<List<Mono<IntakeResult>>> acceptTogether(List<OrderDraft> drafts, Function<Order, String> render, Mono<Void> alongside) {
        List<Submission> batch = drafts.stream()
                .filter(draft -> draft.total().compareTo(MAX_TOTAL) <= 0)
                // a reload of Redis under the batch fails all of it (503): a retry of part would be a document half taken
                .map(draft -> new Submission(draft, render, false))
                .toList();
        if (batch.isEmpty()) {
            return alongside.thenReturn(drafts.stream().map(draft -> Mono.<IntakeResult>error(OrderExceptions.totalTooLarge(MAX_TOTAL))).toList());
        }
        return takeBatch(batch, alongside).map(answers -> inDraftOrder(drafts, batch, answers));
    }

    /** The batch's answers in the drafts' places, and a refusal for each draft left out of it for its total. */
    private static List<Mono<IntakeResult>> inDraftOrder(List<OrderDraft> drafts, List<Submission> batch, List<Mono<IntakeResult>> answers) {
        List<Mono<IntakeResult>> all = new ArrayList<>(drafts.size());
        int next = 0;
        for (OrderDraft draft : drafts) {
            boolean inBatch = next < batch.size() && batch.get(next).draft() == draft;
            all.add(inBatch ? answers.get(next++) : Mono.error(OrderExceptions.totalTooLarge(MAX_TOTAL)));
        }
        return all;
    }

    /** One order on its way through a batch; {@code mayRetry} once, when Redis was reloaded under it. */
    record Submission(OrderDraft draft, Function<Order, String> render, boolean mayRetry) {
        Submission lastTry() {
            return new Submission(draft, render, false);
        }
    }

    /** A reserved order of the batch, ready to store; {@code index} is its place in the batch. */
    record Taken(int index, Submission submission, PreparedOrder prepared) {
        UUID orderId() {
            return submission.draft().id();
        }
    }

    /** @param together work to commit with the batch, all or nothing; null for a batch of independent orders */
    private Mono<List<Mono<IntakeResult>>> takeBatch(List<Submission> batch, Mono<Void> together) {
        String warehouse = batch.get(0).draft().warehouse();
        Instant reservedAt = clock.instant();
        long started = System.nanoTime();
        return reserve(warehouse, batch.stream().map(OrderIntake::reservationRequest).toList(), committed.take(warehouse))
                .doOnSuccess(results -> metrics.reserved(System.nanoTime() - started))
                .flatMap(results -> afterReservation(warehouse, batch, results, reservedAt, together));
    }

    private Mono<List<ReservationResult>> reserve(String warehouse, List<ReservationRequest> requests, List<UUID> toConfirm) {
        return reservations.reserve(warehouse, requests, toConfirm)
                .switchIfEmpty(Mono.defer(() -> loadWarehouseThenReserve(warehouse, requests)));
    }

    /** Redis lost the warehouse (first use, restart, flush): load it from PostgreSQL, once, then try again. */
    private Mono<List<ReservationResult>> loadWarehouseThenReserve(String warehouse, List<ReservationRequest> requests) {
        return rebuilder.rebuild(warehouse, false)
                .flatMap(exists -> exists
                        ? reservations.reserve(warehouse, requests)
                        : Mono.error(OrderExceptions.unknownWarehouse(warehouse)))
                .switchIfEmpty(Mono.error(() -> OrderExceptions.stockUnavailable("Stock is being reloaded.")));
    }

    /** Orders that got a reservation go on to the commit; the others are answered on their own. */
    private Mono<List<Mono<IntakeResult>>> afterReservation(String warehouse, List<Submission> batch,
            List<ReservationResult> results, Instant reservedAt, Mono<Void> together) {
        @SuppressWarnings("unchecked")
        Mono<IntakeResult>[] answers = new Mono[batch.size()];
        List<Taken> taken = new ArrayList<>();
        long generation = 0;
        for (int i = 0; i < batch.size(); i++) {
            Submission submission = batch.get(i);
            ReservationResult result = results.get(i);
            if (result instanceof ReservationResult.Reserved reserved) {
                taken.add(new Taken(i, submission, prepare(submission, reserved)));
                generation = reserved.generation();
            } else if (result instanceof ReservationResult.HeldByOtherOrder) {
                answers[i] = replayOrRefuse(submission.draft());
            } else {
                answers[i] = Mono.error(OrderExceptions.unknownSkus(warehouse, ((ReservationResult.UnknownSkus) result).skus()));
            }
        }
        if (taken.isEmpty()) {
            Mono<Void> alone = together == null ? Mono.empty() : together;
            return alone.thenReturn(Arrays.asList(answers));
        }
        List<PreparedOrder> prepared = taken.stream().map(Taken::prepared).toList();
        Mono<List<IntakeCommit.Outcome>> stored = together == null
                ? commit.store(warehouse, prepared, generation, reservedAt)
                : commit.storeTogether(warehouse, prepared, generation, reservedAt, together);
        return stored
                .flatMap(outcomes -> settle(warehouse, taken, outcomes))
                .map(settled -> {
                    for (int i = 0; i < taken.size(); i++) {
                        answers[taken.get(i).index()] = settled.get(i);
                    }
                    return Arrays.asList(answers);
                });
    }

    /**
     * Gives back, in one call, the reservations of orders that were not stored, and only then answers
     * each order: a channel told to retry must find its key and its units free again.
     */
    private Mono<List<Mono<IntakeResult>>> settle(String warehouse, List<Taken> taken, List<IntakeCommit.Outcome> outcomes) {
        List<UUID> unstored = new ArrayList<>();
        List<UUID> steps = new ArrayList<>();
        List<UUID> stored = new ArrayList<>();
        for (int i = 0; i < taken.size(); i++) {
            IntakeCommit.Outcome outcome = outcomes.get(i);
            if (outcome.releases()) {
                unstored.add(taken.get(i).orderId());
            }
            if (outcome instanceof IntakeCommit.Outcome.Stored) {
                stored.add(taken.get(i).orderId());
                PreparedOrder prepared = taken.get(i).prepared();
                prepared.firstSteps().forEach(step -> steps.add(step.id()));
                metrics.accepted(prepared.draft().channel(), prepared.status());
            }
        }
        // committed: their credit checks start now, on this instance, without waiting for a poll
        queue.announce(steps);
        committed.add(warehouse, stored);
        return release(warehouse, unstored)
                .then(Mono.fromCallable(() -> {
                    List<Mono<IntakeResult>> answers = new ArrayList<>(taken.size());
                    for (int i = 0; i < taken.size(); i++) {
                        answers.add(answer(taken.get(i), outcomes.get(i)));
                    }
                    return answers;
                }));
    }

    private Mono<IntakeResult> answer(Taken taken, IntakeCommit.Outcome outcome) {
        OrderDraft draft = taken.submission().draft();
        if (outcome instanceof IntakeCommit.Outcome.Stored) {
            return Mono.just(new IntakeResult.Created(taken.prepared().order(), taken.prepared().response()));
        }
        if (outcome instanceof IntakeCommit.Outcome.Refused refused) {
            return whyRefused(draft, refused.outcome());
        }
        if (outcome instanceof IntakeCommit.Outcome.Stale) {
            // Redis was reloaded since the reservation, which is released: reserve once more in a later batch
            return taken.submission().mayRetry()
                    ? batcher.resubmit(taken.submission().lastTry())
                    : Mono.error(OrderExceptions.stockUnavailable("Stock was being reloaded."));
        }
        return Mono.error(((IntakeCommit.Outcome.NotStored) outcome).answer());
    }

    private Mono<Void> release(String warehouse, List<UUID> orderIds) {
        return reservations.release(warehouse, orderIds)
                // the sweeper releases them after the deadline if Redis cannot be reached now
                .onErrorResume(error -> {
                    LOG.warn("Could not release {} reservations at {} now; the sweeper will", orderIds.size(), warehouse, error);
                    return Mono.empty();
                })
                .then();
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

    private static ReservationRequest reservationRequest(Submission submission) {
        OrderDraft draft = submission.draft();
        WarehouseKeys keys = new WarehouseKeys(draft.warehouse());
        List<ReservationRequest.Demand> demand = draft.lines().stream()
                .map(line -> new ReservationRequest.Demand(line.sku(), line.quantity()))
                .toList();
        return new ReservationRequest(draft.id(), draft.fulfillmentPolicy() == FulfillmentPolicy.SHIP_COMPLETE,
                keys.idempotencyMarker(draft.principalId(), draft.idempotencyKey()), demand);
    }

    private PreparedOrder prepare(Submission submission, ReservationResult.Reserved reserved) {
        OrderDraft draft = submission.draft();
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
        return new PreparedOrder(draft, allocations, status, needsApproval, order, event, firstSteps,
                submission.render().apply(order));
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
}
