package dev.orderflow.api.events;

import dev.orderflow.orchestration.outbox.FeedEvent;
import dev.orderflow.orchestration.outbox.Position;
import java.util.function.Predicate;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One stream's hold on this instance's new events: subscribed to the poller before the stream reads
 * any history, holding what arrives meanwhile in a bounded buffer.
 *
 * <p>{@link #start()} is the poller's position read once the subscription is in place. The poller
 * records an event's position before handing it out, so every event after {@code start} reaches
 * this tail, and every event up to it is readable from the outbox: history up to {@code start},
 * then the tail's events after it, is the whole sequence, without a gap or a repeat.
 *
 * <p>The poller hands out events best-effort: a subscriber without demand misses them. A tail
 * always has demand; when its buffer is full (the client reads too slowly) it fails with
 * {@link SlowReader} instead of dropping anything, and the client resumes from the outbox.
 */
final class LiveTail implements Disposable {

    private final Sinks.Many<FeedEvent> buffer;
    private final Disposable subscription;
    private final Position start;

    private LiveTail(Flux<FeedEvent> events, Supplier<Position> handedOut, Predicate<FeedEvent> wanted, int capacity) {
        this.buffer = Sinks.many().unicast().onBackpressureBuffer(Queues.<FeedEvent>get(capacity).get());
        this.subscription = events.filter(wanted).subscribe(this::hold, buffer::tryEmitError, buffer::tryEmitComplete);
        // only now: whatever the poller hands out from here on reaches this tail
        this.start = handedOut.get();
    }

    /**
     * Starts following {@code events}, the poller's, keeping those {@code wanted}.
     *
     * @param handedOut how far the poller has handed out events
     * @param capacity  how many events to hold for a slow reader
     */
    static LiveTail follow(Flux<FeedEvent> events, Supplier<Position> handedOut, Predicate<FeedEvent> wanted, int capacity) {
        return new LiveTail(events, handedOut, wanted, capacity);
    }

    /** Every event after this position reaches this tail; every event up to it is in the outbox. */
    Position start() {
        return start;
    }

    /** The events held and still to come, after {@code after}; only one subscriber, once. */
    Flux<FeedEvent> after(Position after) {
        return buffer.asFlux().filter(event -> event.position().isAfter(after));
    }

    @Override
    public void dispose() {
        subscription.dispose();
    }

    @Override
    public boolean isDisposed() {
        return subscription.isDisposed();
    }

    private void hold(FeedEvent event) {
        Sinks.EmitResult result = buffer.tryEmitNext(event);
        // full: while the reader reads, overflow; before it first subscribes (still replaying history), "zero subscriber"
        if (result == Sinks.EmitResult.FAIL_OVERFLOW || result == Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
            buffer.tryEmitError(new SlowReader());
        }
    }

    /** The client did not keep up: its stream ends, and it resumes from where it got to. */
    static final class SlowReader extends RuntimeException {

        SlowReader() {
            super("The client read too slowly; it resumes with Last-Event-ID", null, false, false);
        }
    }
}
