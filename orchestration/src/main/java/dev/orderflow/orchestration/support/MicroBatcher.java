package dev.orderflow.orchestration.support;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Groups work items that arrive close together into batches, so that a round trip and a commit are
 * shared by every item of a batch (group commit). There is no timer: a batch starts as soon as fewer
 * than {@code maxInFlight} batches are running, so a lone item goes at once, and items that arrive
 * while the running batches are busy wait and go together in the next one. Batches grow with load,
 * by themselves.
 *
 * <p>Items that could not share a batch (another warehouse, say) are split by {@code batchKey}.
 * The handler answers, per item and in order, how that item's answer goes on (a value, an error, or
 * more work such as a lookup), and each caller runs its own continuation. At most {@code maxQueued}
 * items wait, and, if {@code maxWait} is set, new items are refused while the oldest waiting one has
 * waited longer than that: {@link #submit} then fails at once with the {@code overloaded} error, so
 * a service under more load than it can take sheds it early instead of queueing without bound. The
 * count alone bounds memory; the wait bounds the latency of what is taken, whatever the batches
 * cost at the time.
 *
 * @param <T> a work item
 * @param <R> the answer one item gets
 */
public final class MicroBatcher<T, R> {

    /** Processes one batch: answers one continuation per item, in the items' order. */
    @FunctionalInterface
    public interface Handler<T, R> {
        Mono<List<Mono<R>>> handle(List<T> batch);
    }

    /**
     * @param maxBatch    the most items in one batch
     * @param maxInFlight the most batches running at once
     * @param maxQueued   the most items waiting for a batch before new ones are refused
     * @param maxWait     new items are refused while the oldest waiting item has waited longer; null for no bound
     */
    public record Limits(int maxBatch, int maxInFlight, int maxQueued, Duration maxWait) {
        public Limits {
            if (maxBatch < 1 || maxInFlight < 1 || maxQueued < 1 || (maxWait != null && (maxWait.isNegative() || maxWait.isZero()))) {
                throw new IllegalArgumentException("batch limits must be positive: " + maxBatch + ", " + maxInFlight + ", "
                        + maxQueued + ", " + maxWait);
            }
        }

        /** No bound on the wait. */
        public Limits(int maxBatch, int maxInFlight, int maxQueued) {
            this(maxBatch, maxInFlight, maxQueued, null);
        }
    }

    private record Waiting<T, R>(T item, MonoSink<Mono<R>> sink, long queuedAt) {
    }

    private final Function<T, Object> batchKey;
    private final Handler<T, R> handler;
    private final Limits limits;
    private final Supplier<? extends RuntimeException> overloaded;
    private final IntConsumer batchSizes;
    private final LongSupplier nanoTime;
    private final long maxWaitNanos;

    private final Queue<Waiting<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Work-in-progress counter of the drain loop: one thread drains at a time, none misses a signal. */
    private final AtomicInteger draining = new AtomicInteger();
    /** Batches taken from the queue but not started (items of several keys were taken): touched only by the drain loop. */
    private final Queue<List<Waiting<T, R>>> formed = new ArrayDeque<>();

    /**
     * @param batchKey   items with equal keys may share a batch
     * @param overloaded the error for an item refused because too many wait
     * @param batchSizes told the size of every batch started (a metric)
     */
    public MicroBatcher(Function<T, Object> batchKey, Handler<T, R> handler, Limits limits,
            Supplier<? extends RuntimeException> overloaded, IntConsumer batchSizes) {
        this(batchKey, handler, limits, overloaded, batchSizes, System::nanoTime);
    }

    /** @param nanoTime the clock waits are measured with */
    MicroBatcher(Function<T, Object> batchKey, Handler<T, R> handler, Limits limits,
            Supplier<? extends RuntimeException> overloaded, IntConsumer batchSizes, LongSupplier nanoTime) {
        this.batchKey = batchKey;
        this.handler = handler;
        this.limits = limits;
        this.overloaded = overloaded;
        this.batchSizes = batchSizes;
        this.nanoTime = nanoTime;
        this.maxWaitNanos = limits.maxWait() == null ? Long.MAX_VALUE : limits.maxWait().toNanos();
    }

    /** Queues the item for the next batch, unless too many already wait. */
    public Mono<R> submit(T item) {
        return enqueue(item, true);
    }

    /** Queues an item that was admitted before (a retry of part of a batch): it is never refused. */
    public Mono<R> resubmit(T item) {
        return enqueue(item, false);
    }

    /** Items waiting for a batch now. */
    public int queued() {
        return queued.get();
    }

    private Mono<R> enqueue(T item, boolean mayShed) {
        return Mono.<Mono<R>>create(sink -> {
                    long now = nanoTime.getAsLong();
                    int waiting = queued.incrementAndGet();
                    if (mayShed && (waiting > limits.maxQueued() || oldestWaitedTooLong(now))) {
                        queued.decrementAndGet();
                        sink.error(overloaded.get());
                        return;
                    }
                    queue.offer(new Waiting<>(item, sink, now));
                    drain();
                })
                .flatMap(Function.identity());
    }

    private boolean oldestWaitedTooLong(long now) {
        Waiting<T, R> oldest = queue.peek();
        return oldest != null && now - oldest.queuedAt() > maxWaitNanos;
    }

    private void drain() {
        if (draining.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (inFlight.get() < limits.maxInFlight()) {
                List<Waiting<T, R>> batch = nextBatch();
                if (batch.isEmpty()) {
                    break;
                }
                start(batch);
            }
            missed = draining.addAndGet(-missed);
        } while (missed != 0);
    }

    /** The next batch: the oldest group formed and not started, else a new group from the queue. */
    private List<Waiting<T, R>> nextBatch() {
        if (formed.isEmpty()) {
            Map<Object, List<Waiting<T, R>>> byKey = new LinkedHashMap<>();
            Waiting<T, R> next;
            for (int taken = 0; taken < limits.maxBatch() && (next = queue.poll()) != null; taken++) {
                byKey.computeIfAbsent(batchKey.apply(next.item()), key -> new ArrayList<>()).add(next);
            }
            formed.addAll(byKey.values());
        }
        List<Waiting<T, R>> batch = formed.poll();
        return batch == null ? List.of() : batch;
    }

    private void start(List<Waiting<T, R>> batch) {
        queued.addAndGet(-batch.size());
        inFlight.incrementAndGet();
        batchSizes.accept(batch.size());
        // the batcher drives its batches itself: each caller waits on its own sink, not on this subscription
        run(batch)
                .doFinally(signal -> {
                    inFlight.decrementAndGet();
                    drain();
                })
                .subscribe();
    }

    private Mono<Void> run(List<Waiting<T, R>> batch) {
        return Mono.defer(() -> handler.handle(batch.stream().map(Waiting::item).toList()))
                .doOnNext(answers -> deliver(batch, answers))
                .doOnError(error -> batch.forEach(waiting -> waiting.sink().success(Mono.error(error))))
                .onErrorComplete()
                .then();
    }

    private void deliver(List<Waiting<T, R>> batch, List<Mono<R>> answers) {
        if (answers.size() != batch.size()) {
            IllegalStateException wrong = new IllegalStateException(
                    "a batch of " + batch.size() + " got " + answers.size() + " answers");
            batch.forEach(waiting -> waiting.sink().success(Mono.error(wrong)));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).sink().success(answers.get(i));
        }
    }
}
