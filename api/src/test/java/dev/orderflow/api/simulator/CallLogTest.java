package dev.orderflow.api.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.simulator.CallLog.Call;
import dev.orderflow.api.simulator.CallLog.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallLogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    private final AtomicInteger ids = new AtomicInteger();

    @Test
    void aReplayGetsTheFirstAnswerAndIsNotRecordedAgain() {
        CallLog log = new CallLog(10, CLOCK);

        Outcome<String> first = log.record("invoice", "key-1", "order-1", "body", this::nextId);
        Outcome<String> replay = log.record("invoice", "key-1", "order-1", "body", this::nextId);

        assertThat(first.replay()).isFalse();
        assertThat(replay.replay()).isTrue();
        assertThat(replay.answer()).isEqualTo(first.answer());
        assertThat(log.list(null, 100)).singleElement()
                .satisfies(call -> {
                    assertThat(call.idempotencyKey()).isEqualTo("key-1");
                    assertThat(call.orderId()).isEqualTo("order-1");
                    assertThat(call.at()).isEqualTo(CLOCK.instant());
                    assertThat(call.answer()).isEqualTo(first.answer());
                });
    }

    @Test
    void oneKeyForTwoOperationsIsTwoCalls() {
        // a saga may give a request and its cancel the same key
        CallLog log = new CallLog(10, CLOCK);

        log.record("fulfillment-request", "key-1", "order-1", null, this::nextId);
        Outcome<String> cancel = log.record("cancel", "key-1", "order-1", null, () -> "cancelled");

        assertThat(cancel.replay()).isFalse();
        assertThat(log.list(null, 100)).extracting(Call::operation).containsExactly("fulfillment-request", "cancel");
    }

    @Test
    void callsWithoutAKeyAreEachRecorded() {
        CallLog log = new CallLog(10, CLOCK);

        log.record("credit-check", null, "order-1", null, this::nextId);
        log.record("credit-check", null, "order-1", null, this::nextId);

        assertThat(log.size()).isEqualTo(2);
    }

    @Test
    void beyondCapacityTheOldestCallsAndTheirKeysAreForgotten() {
        CallLog log = new CallLog(3, CLOCK);
        for (int i = 1; i <= 5; i++) {
            log.record("invoice", "key-" + i, "order-" + i, null, this::nextId);
        }

        assertThat(log.list(null, 100)).extracting(Call::orderId).containsExactly("order-3", "order-4", "order-5");
        assertThat(log.record("invoice", "key-1", "order-1", null, this::nextId).replay()).isFalse();
        assertThat(log.size()).isEqualTo(3);
    }

    @Test
    void aListingFiltersByOrderAndKeepsTheMostRecentOldestFirst() {
        CallLog log = new CallLog(100, CLOCK);
        for (int i = 1; i <= 6; i++) {
            log.record("invoice", "key-" + i, i % 2 == 0 ? "even" : "odd", null, () -> "answer-" + ids.incrementAndGet());
        }

        assertThat(log.list("even", 100)).extracting(Call::idempotencyKey).containsExactly("key-2", "key-4", "key-6");
        assertThat(log.list(null, 2)).extracting(Call::idempotencyKey).containsExactly("key-5", "key-6");
        assertThat(log.list("none", 100)).isEmpty();
    }

    @Test
    void clearingForgetsCallsAndKeys() {
        CallLog log = new CallLog(10, CLOCK);
        log.record("invoice", "key-1", "order-1", null, this::nextId);

        log.clear();

        assertThat(log.list(null, 100)).isEmpty();
        assertThat(log.record("invoice", "key-1", "order-1", null, this::nextId).replay()).isFalse();
    }

    @Test
    void concurrentCallsWithOneKeyRecordOneCallAndShareItsAnswer() throws InterruptedException {
        CallLog log = new CallLog(1000, CLOCK);
        int threads = 8;
        Set<String> answers = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 50; round++) {
                String key = "key-" + round;
                CountDownLatch start = new CountDownLatch(1);
                CountDownLatch done = new CountDownLatch(threads);
                for (int t = 0; t < threads; t++) {
                    pool.execute(() -> {
                        awaitQuietly(start);
                        answers.add(log.record("invoice", key, key, null, this::nextId).answer());
                        done.countDown();
                    });
                }
                start.countDown();
                assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(log.size()).isEqualTo(50);
        assertThat(answers).hasSize(50);
    }

    private String nextId() {
        return "id-" + ids.incrementAndGet();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
