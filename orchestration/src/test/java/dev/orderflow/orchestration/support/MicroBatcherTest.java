package dev.orderflow.orchestration.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

class MicroBatcherTest {

    /** Items are "key:value"; the key says which may share a batch; the answer is the value upper-cased. */
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final List<Sinks.Empty<Void>> gates = new CopyOnWriteArrayList<>();

    /** A handler whose batches finish only when the test opens their gate. */
    private MicroBatcher<String, String> gated(int maxBatch, int maxInFlight, int maxQueued) {
        return gated(new MicroBatcher.Limits(maxBatch, maxInFlight, maxQueued), System::nanoTime);
    }

    private MicroBatcher<String, String> gated(MicroBatcher.Limits limits, LongSupplier nanoTime) {
        return new MicroBatcher<>(MicroBatcherTest::key, batch -> {
            batches.add(batch);
            Sinks.Empty<Void> gate = Sinks.empty();
            gates.add(gate);
            return gate.asMono().then(Mono.fromCallable(() -> answers(batch)));
        }, limits, () -> new IllegalStateException("overloaded"), size -> {
        }, nanoTime);
    }

    @Test
    void aLoneItemStartsItsBatchAtOnce() {
        MicroBatcher<String, String> batcher = gated(10, 1, 10);

        Mono<String> answer = batcher.submit("w:a").cache();
        answer.subscribe();

        assertThat(batches).containsExactly(List.of("w:a"));
        gates.get(0).tryEmitEmpty();
        assertThat(answer.block(Duration.ofSeconds(1))).isEqualTo("A");
    }

    @Test
    void itemsArrivingWhileBatchesRunGoTogetherInTheNextBatch() {
        MicroBatcher<String, String> batcher = gated(10, 1, 10);
        List<Mono<String>> answers = new ArrayList<>();
        for (String item : List.of("w:a", "w:b", "w:c", "w:d")) {
            Mono<String> answer = batcher.submit(item).cache();
            answer.subscribe();
            answers.add(answer);
        }

        assertThat(batches).containsExactly(List.of("w:a"));
        gates.get(0).tryEmitEmpty();

        assertThat(batches).containsExactly(List.of("w:a"), List.of("w:b", "w:c", "w:d"));
        gates.get(1).tryEmitEmpty();
        assertThat(answers).extracting(answer -> answer.block(Duration.ofSeconds(1))).containsExactly("A", "B", "C", "D");
    }

    @Test
    void aBatchHoldsAtMostMaxBatchItemsAndOnlyItemsOfOneKey() {
        MicroBatcher<String, String> batcher = gated(2, 1, 10);
        for (String item : List.of("w:a", "w:b", "x:c", "w:d", "w:e")) {
            batcher.submit(item).subscribe();
        }
        // a went alone; the next two items taken (b, x:c) are of two keys: two batches, one after the other
        gates.get(0).tryEmitEmpty();
        assertThat(batches).containsExactly(List.of("w:a"), List.of("w:b"));
        gates.get(1).tryEmitEmpty();
        assertThat(batches).last().isEqualTo(List.of("x:c"));
        gates.get(2).tryEmitEmpty();
        assertThat(batches).hasSize(4).last().isEqualTo(List.of("w:d", "w:e"));
    }

    @Test
    void moreWaitingItemsThanAllowedAreRefusedAtOnceButRetriesAreNot() {
        MicroBatcher<String, String> batcher = gated(10, 1, 2);
        batcher.submit("w:running").subscribe();
        batcher.submit("w:a").subscribe();
        batcher.submit("w:b").subscribe();

        assertThatThrownBy(() -> batcher.submit("w:c").block(Duration.ofSeconds(1))).hasMessage("overloaded");
        Mono<String> retry = batcher.resubmit("w:d").cache();
        retry.subscribe();
        assertThat(batcher.queued()).isEqualTo(3);

        gates.get(0).tryEmitEmpty();
        gates.get(1).tryEmitEmpty();
        assertThat(retry.block(Duration.ofSeconds(1))).isEqualTo("D");
        assertThat(batcher.queued()).isZero();
    }

    @Test
    void newItemsAreRefusedWhileTheOldestWaitingOneHasWaitedLongerThanMaxWaitAndTakenAgainOnceItLeaves() {
        AtomicLong now = new AtomicLong();
        MicroBatcher<String, String> batcher = gated(new MicroBatcher.Limits(10, 1, 100, Duration.ofMillis(100)), now::get);
        batcher.submit("w:running").subscribe();
        Mono<String> waiting = batcher.submit("w:waiting").cache();
        waiting.subscribe();

        now.set(Duration.ofMillis(100).toNanos());
        Mono<String> inTime = batcher.submit("w:in-time").cache();
        inTime.subscribe();
        now.set(Duration.ofMillis(101).toNanos());
        // the queue is far from full, but its oldest item has waited 101 ms
        assertThatThrownBy(() -> batcher.submit("w:late").block(Duration.ofSeconds(1))).hasMessage("overloaded");
        Mono<String> retry = batcher.resubmit("w:retry").cache();
        retry.subscribe();

        // the running batch ends: the waiting items go, and the queue takes new ones again
        gates.get(0).tryEmitEmpty();
        assertThat(batches).last().isEqualTo(List.of("w:waiting", "w:in-time", "w:retry"));
        Mono<String> after = batcher.submit("w:after").cache();
        after.subscribe();
        gates.get(1).tryEmitEmpty();
        gates.get(2).tryEmitEmpty();
        assertThat(List.of(waiting, inTime, retry, after)).extracting(answer -> answer.block(Duration.ofSeconds(1)))
                .containsExactly("WAITING", "IN-TIME", "RETRY", "AFTER");
    }

    @Test
    void aFailedBatchFailsItsItemsAndTheNextBatchRuns() {
        AtomicInteger calls = new AtomicInteger();
        MicroBatcher<String, String> batcher = new MicroBatcher<>(MicroBatcherTest::key, batch -> calls.incrementAndGet() == 1
                ? Mono.error(new IllegalArgumentException("redis down"))
                : Mono.just(answers(batch)), new MicroBatcher.Limits(10, 1, 10), IllegalStateException::new, size -> {
        });

        assertThatThrownBy(() -> batcher.submit("w:a").block(Duration.ofSeconds(1))).hasMessage("redis down");
        assertThat(batcher.submit("w:b").block(Duration.ofSeconds(1))).isEqualTo("B");
    }

    @Test
    void eachItemOfABatchGetsItsOwnAnswer() {
        Sinks.Empty<Void> firstBatchDone = Sinks.empty();
        MicroBatcher<String, String> batcher = new MicroBatcher<>(MicroBatcherTest::key, batch -> batch.size() == 1
                ? firstBatchDone.asMono().then(Mono.just(answers(batch)))
                : Mono.just(List.of(Mono.just("stored"), Mono.error(new IllegalStateException("refused")))),
                new MicroBatcher.Limits(10, 1, 10), IllegalStateException::new, size -> {
        });
        batcher.submit("w:first").subscribe();
        Mono<String> a = batcher.submit("w:a").cache();
        Mono<String> b = batcher.submit("w:b").cache();
        a.subscribe();
        b.subscribe(answer -> { }, error -> { });

        firstBatchDone.tryEmitEmpty();

        assertThat(a.block(Duration.ofSeconds(1))).isEqualTo("stored");
        assertThatThrownBy(() -> b.block(Duration.ofSeconds(1))).hasMessage("refused");
    }

    @Test
    void underConcurrencyEveryItemIsAnsweredOnceAndAtMostMaxInFlightBatchesRun() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        MicroBatcher<String, String> batcher = new MicroBatcher<>(MicroBatcherTest::key, batch -> Mono.fromCallable(() -> {
                    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    return answers(batch);
                })
                .delayElement(Duration.ofMillis(2), Schedulers.parallel())
                .doOnTerminate(running::decrementAndGet),
                new MicroBatcher.Limits(64, 3, 100_000), IllegalStateException::new, sizes::add);
        int threads = 8;
        int perThread = 500;
        ConcurrentHashMap<String, String> answered = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> submitters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitters.add(pool.submit(() -> {
                    start.await();
                    List<Mono<String>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        String item = (i % 2 == 0 ? "w" : "x") + ":t" + thread + "i" + i;
                        mine.add(batcher.submit(item).doOnNext(answer -> {
                            if (answered.put(item, answer) != null) {
                                throw new AssertionError("answered twice: " + item);
                            }
                        }));
                    }
                    return Mono.when(mine).block(Duration.ofSeconds(30));
                }));
            }
            start.countDown();
            for (Future<?> submitter : submitters) {
                submitter.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(answered).hasSize(threads * perThread);
        assertThat(answered).allSatisfy((item, answer) -> assertThat(answer).isEqualTo(item.substring(2).toUpperCase()));
        assertThat(mostRunning.get()).isLessThanOrEqualTo(3);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
        // items waited while batches ran, so batches formed: far fewer batches than items
        assertThat(sizes.size()).isLessThan(threads * perThread / 4);
    }

    private static Object key(String item) {
        return item.substring(0, item.indexOf(':'));
    }

    private static List<Mono<String>> answers(List<String> batch) {
        return batch.stream().map(item -> Mono.just(item.substring(item.indexOf(':') + 1).toUpperCase())).toList();
    }
}
