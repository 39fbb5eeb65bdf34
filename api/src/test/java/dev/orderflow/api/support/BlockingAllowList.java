package dev.orderflow.api.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The few blocking calls on event loops that we accept, each for a stated reason. Anything not
 * listed here fails the test that triggers it.
 */
public class BlockingAllowList implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // Jackson builds a (de)serializer once per type under a lock; a second thread asking for
        // the same type at that moment waits for it, once, for microseconds.
        builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache", "_createAndCacheValueDeserializer");
        // Lettuce lets many threads write to one shared connection; while the connection is being
        // (re)activated or closed a writer waits on a short lock. Lettuce's design: one multiplexed
        // connection for all event loops, which is what keeps Redis at one round trip per order.
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
        // Netty's adaptive buffer allocator adds a magazine when event loops contend for one, under
        // a short write lock (StampedLock); a loop freeing into the magazine at that moment waits
        // for it, once, for microseconds. Netty's own BlockHound integration does not list it yet.
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
        // Reactor cancels a periodic task (the live stream's heartbeat interval, when its client goes
        // away) by cancelling its future in the scheduler's executor, which takes the executor's queue
        // lock for an instant. Flagged, the error broke off that cancellation half-way, which can
        // leave the stream's other subscriptions in place (seen once in CI; later EDI and route tests
        // of that JVM timed out, perhaps because of it).
        builder.allowBlockingCallsInside("reactor.core.scheduler.PeriodicWorkerTask", "dispose");
        builder.allowBlockingCallsInside("reactor.core.scheduler.WorkerTask", "dispose");
        // Resilience4j records each call's outcome in its sliding window under a short lock (a
        // ReentrantLock since 2.x, for virtual threads); contended, a thread waits microseconds.
        builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics", "record");
        builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics", "getSnapshot");
        builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.SlidingTimeWindowMetrics", "record");
        builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.SlidingTimeWindowMetrics", "getSnapshot");
        // ... and a circuit changes state (closed, open, half-open) under the same kind of lock
        builder.allowBlockingCallsInside("io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine", "stateTransition");
        builder.allowBlockingCallsInside("io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine$OpenState", "toHalfOpenState");
    }
}
