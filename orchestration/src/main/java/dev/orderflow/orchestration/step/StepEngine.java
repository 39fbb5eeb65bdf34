package dev.orderflow.orchestration.step;

import dev.orderflow.orchestration.order.Effects;
import dev.orderflow.orchestration.order.OrderLifecycle;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One instance's workers. Claims steps (those just announced at once, due ones on every poll),
 * runs up to {@code concurrency} at a time, and settles each with its order's transition in one
 * transaction, fenced by the lease. Steps of a downstream whose circuit is open are not claimed:
 * they wait in the table, unattempted, until the circuit lets calls through again.
 *
 * <p>At shutdown ({@link #drain(Duration)}) it stops claiming, lets the steps in flight finish
 * and settle, and gives back whatever is still running when the time is up, so another instance
 * takes those at once instead of waiting for their lease to run out.
 */
public class StepEngine {

    private static final Logger LOG = LoggerFactory.getLogger(StepEngine.class);

    private final String owner;
    private final Steps steps;
    private final DownstreamClient downstream;
    private final OrderLifecycle lifecycle;
    private final StepQueue queue;
    private final TransactionalOperator tx;
    private final EngineSettings settings;
    private final Clock clock;
    private final StepMetrics metrics;
    private final AtomicInteger running = new AtomicInteger();
    /** Claims under way: a drain waits for them, so no step is claimed and then forgotten. */
    private final AtomicInteger claiming = new AtomicInteger();
    private volatile boolean draining;
    private Sinks.Many<Step> work;
    private Disposable workers;
    private Disposable.Composite claimers;

    public StepEngine(String owner, Steps steps, DownstreamClient downstream, OrderLifecycle lifecycle, StepQueue queue,
            TransactionalOperator tx, EngineSettings settings, Clock clock) {
        this(owner, steps, downstream, lifecycle, queue, tx, settings, clock, StepMetrics.none());
    }

    public StepEngine(String owner, Steps steps, DownstreamClient downstream, OrderLifecycle lifecycle, StepQueue queue,
            TransactionalOperator tx, EngineSettings settings, Clock clock, StepMetrics metrics) {
        this.metrics = metrics;
        this.owner = owner;
        this.steps = steps;
        this.downstream = downstream;
        this.lifecycle = lifecycle;
        this.queue = queue;
        this.tx = tx;
        this.settings = settings;
        this.clock = clock;
    }

    public String owner() {
        return owner;
    }

    public synchronized void start() {
        if (workers != null) {
            return;
        }
        draining = false;
        // a fresh queue per start: a stopped engine's queue has lost its one subscriber
        work = Sinks.many().unicast().onBackpressureBuffer();
        workers = work.asFlux().flatMap(this::run, settings.concurrency()).subscribe();
        claimers = Disposables.composite(
                queue.announcements().concatMap(this::claimAnnounced).subscribe(),
                Flux.interval(settings.pollInterval(), settings.pollInterval())
                        .onBackpressureDrop()
                        .concatMap(tick -> claimDue(), 1)
                        .subscribe());
    }

    /** Stops at once: steps in flight are abandoned to their lease (a crash behaves the same). */
    public synchronized void stop() {
        if (workers != null) {
            claimers.dispose();
            workers.dispose();
            workers = null;
        }
    }

    /**
     * Stops claiming, waits up to {@code timeout} for the steps in flight to finish and settle, then
     * cancels those still running and gives back every step this worker holds: pending again, due
     * now, for another instance's next poll. A step given back mid-call may reach its downstream a
     * second time, with the same {@code Idempotency-Key}; one that finished is never run again.
     */
    public Mono<Void> drain(Duration timeout) {
        draining = true;
        return Flux.interval(Duration.ofMillis(20))
                .filter(tick -> running.get() == 0 && claiming.get() == 0)
                .next()
                .map(tick -> true)
                .timeout(timeout, Mono.just(false))
                .doOnNext(drained -> stop())
                // drained: every claimed step was run and settled, nothing is held
                .flatMap(drained -> drained ? Mono.empty() : releaseHeld());
    }

    private Mono<Void> releaseHeld() {
        return steps.releaseHeld(owner)
                .doOnNext(kind -> metrics.ended(kind, StepMetrics.Outcome.RELEASED))
                .count()
                .doOnNext(released -> {
                    if (released > 0) {
                        LOG.info("Gave back {} unfinished steps at shutdown; other instances take them now", released);
                    }
                })
                .onErrorResume(error -> {
                    // PostgreSQL away: the steps come back when their lease runs out
                    LOG.warn("Could not give back the steps held at shutdown; they return when their lease ends", error);
                    return Mono.empty();
                })
                .then();
    }

    /** Claims what is due now, as many as there are free workers; answers how many were claimed. */
    public Mono<Integer> claimDue() {
        if (draining) {
            return Mono.just(0);
        }
        List<StepKind> open = Arrays.stream(StepKind.values()).filter(kind -> downstream.accepting(kind.downstream())).toList();
        return withSlots(settings.concurrency(), slots -> steps.claimDue(owner, open, slots, settings.lease()))
                .onErrorResume(error -> {
                    // PostgreSQL away: the steps stay in the table for the next poll
                    LOG.warn("Could not claim due steps", error);
                    return Mono.just(0);
                });
    }

    private Mono<Void> claimAnnounced(List<java.util.UUID> ids) {
        if (draining) {
            // the new steps stay pending: another instance's poll takes them
            return Mono.empty();
        }
        // more new steps than free workers: the rest wait for the poll, not in a queue where their lease would run out
        return withSlots(ids.size(), slots -> steps.claim(owner, ids.subList(0, slots), settings.lease()))
                .onErrorResume(error -> {
                    LOG.warn("Could not claim new steps; the poll will", error);
                    return Mono.just(0);
                })
                .then();
    }

    /**
     * Reserves up to {@code wanted} free workers before claiming, so every claimed step starts at
     * once: a step claimed and then left waiting could outlive its lease and be run a second time.
     * Workers the claim did not use are given back.
     *
     * <p>The claimed steps are handed to the workers only once the claim has committed: its rows
     * arrive before the commit, and a step run on a claim that then failed to commit would be
     * called while PostgreSQL still has it pending, free for another worker to call again.
     */
    private Mono<Integer> withSlots(int wanted, java.util.function.IntFunction<Flux<Step>> claim) {
        int slots = reserve(wanted);
        if (slots == 0) {
            return Mono.just(0);
        }
        AtomicInteger dispatched = new AtomicInteger();
        claiming.incrementAndGet();
        return Mono.defer(() -> claim.apply(slots)
                        .collectList()
                        .doOnNext(claimed -> claimed.forEach(step -> {
                            dispatched.incrementAndGet();
                            work.emitNext(step, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
                        }))
                        .then(Mono.fromSupplier(dispatched::get)))
                // each dispatched step gives its worker back when it finishes; the rest go back now
                .doFinally(signal -> {
                    running.addAndGet(dispatched.get() - slots);
                    claiming.decrementAndGet();
                });
    }

    private int reserve(int wanted) {
        while (true) {
            int busy = running.get();
            int slots = Math.min(wanted, settings.concurrency() - busy);
            if (slots <= 0) {
                return 0;
            }
            if (running.compareAndSet(busy, busy + slots)) {
                return slots;
            }
        }
    }

    /** Calls the downstream, then settles. Never fails: a failure here only leaves the step to its lease. */
    private Mono<Void> run(Step step) {
        long started = System.nanoTime();
        return downstream.call(step)
                .doOnNext(outcome -> metrics.called(step.kind().downstream(), outcome, Duration.ofNanos(System.nanoTime() - started)))
                .flatMap(outcome -> settle(step, outcome))
                .onErrorResume(LostLease.class, lost -> {
                    metrics.ended(step.kind(), StepMetrics.Outcome.LOST_LEASE);
                    LOG.warn("Step {} ({}) of order {} was taken over by another worker before it could be settled",
                            step.id(), step.kind(), step.orderId());
                    return Mono.empty();
                })
                .onErrorResume(error -> {
                    LOG.warn("Step {} ({}) of order {} could not be settled; it is retried when its lease ends",
                            step.id(), step.kind(), step.orderId(), error);
                    return Mono.empty();
                })
                .doFinally(signal -> running.decrementAndGet());
    }

    private Mono<Void> settle(Step step, CallOutcome outcome) {
        if (outcome instanceof CallOutcome.NotAttempted notAttempted) {
            return steps.putBack(step, owner, clock.instant().plus(notAttempted.retryIn()))
                    .doOnNext(putBack -> metrics.ended(step.kind(), StepMetrics.Outcome.NOT_ATTEMPTED))
                    .then();
        }
        return settleInTransaction(step, outcome)
                .as(tx::transactional)
                .doOnNext(effects -> metrics.ended(step.kind(), outcomeOf(step, outcome)))
                .flatMap(lifecycle::apply);
    }

    private Mono<Effects> settleInTransaction(Step step, CallOutcome outcome) {
        if (outcome instanceof CallOutcome.Success success) {
            return fenced(step, steps.settle(step, owner, StepState.SUCCEEDED, jsonOrNull(success.body()), null, null))
                    .then(lifecycle.onStepSucceeded(step, success.body()));
        }
        String error = outcome instanceof CallOutcome.Permanent permanent ? permanent.error() : ((CallOutcome.Transient) outcome).error();
        boolean giveUp = outcome instanceof CallOutcome.Permanent || step.attempts() >= settings.maxAttempts();
        if (giveUp) {
            return fenced(step, steps.settle(step, owner, StepState.FAILED, null, error, null))
                    .then(lifecycle.onStepFailed(step, error));
        }
        Duration wait = Backoff.after(step.attempts(), settings.backoffBase(), settings.backoffMax());
        return fenced(step, steps.settle(step, owner, StepState.PENDING, null, error, clock.instant().plus(wait)))
                .thenReturn(Effects.none());
    }

    private StepMetrics.Outcome outcomeOf(Step step, CallOutcome outcome) {
        if (outcome instanceof CallOutcome.Success) {
            return StepMetrics.Outcome.SUCCEEDED;
        }
        boolean giveUp = outcome instanceof CallOutcome.Permanent || step.attempts() >= settings.maxAttempts();
        return giveUp ? StepMetrics.Outcome.FAILED : StepMetrics.Outcome.RETRIED;
    }

    /** Refuses to settle a step another worker has taken over: its outcome is that worker's to record. */
    private Mono<Void> fenced(Step step, Mono<Boolean> settled) {
        return settled.flatMap(held -> held ? Mono.<Void>empty()
                : Mono.error(new LostLease(step)));
    }

    private static String jsonOrNull(String body) {
        return body == null || body.isBlank() ? null : body;
    }

    /** This worker's lease on a step ran out and another worker claimed it. */
    static final class LostLease extends RuntimeException {
        LostLease(Step step) {
            super("lease on step " + step.id() + " was taken over", null, false, false);
        }
    }
}
