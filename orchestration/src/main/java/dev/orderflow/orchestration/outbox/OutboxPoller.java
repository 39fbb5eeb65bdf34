package dev.orderflow.orchestration.outbox;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * This instance's view of new events, whichever instance committed them: one reader polls the
 * outbox and hands every event, in order, to all local listeners (live streams). Listeners that
 * need history read it from {@link OutboxFeed} up to {@link #position()} and then follow here.
 */
public class OutboxPoller {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPoller.class);
    private static final int BATCH = 500;

    private final OutboxFeed feed;
    private final Duration interval;
    private final AtomicReference<Position> position = new AtomicReference<>();
    private final Sinks.Many<FeedEvent> events = Sinks.many().multicast().directBestEffort();
    private final Sinks.One<Position> started = Sinks.one();
    private Disposable polling;

    public OutboxPoller(OutboxFeed feed, Duration interval) {
        this.feed = feed;
        this.interval = interval;
    }

    /** Starts after what is in the outbox now: listeners get what comes next. */
    public synchronized void start() {
        if (polling != null) {
            return;
        }
        polling = feed.head()
                .doOnNext(head -> {
                    position.set(head);
                    started.tryEmitValue(head);
                })
                .thenMany(Flux.interval(interval, interval).onBackpressureDrop().concatMap(tick -> pollOnce(), 1))
                .subscribe();
    }

    public synchronized void stop() {
        if (polling != null) {
            polling.dispose();
            polling = null;
        }
    }

    /**
     * Completes once the poller knows where it starts. Before that, {@link #position()} means
     * nothing yet: a listener that needs it (a stream resuming from an event) waits for this.
     */
    public Mono<Void> ready() {
        return started.asMono().then();
    }

    /** Everything up to here has been (or is being) handed to the listeners. */
    public Position position() {
        Position current = position.get();
        return current == null ? Position.START : current;
    }

    /** New events, in outbox order. A listener too slow to keep up misses events (and must resume from the feed). */
    public Flux<FeedEvent> events() {
        return events.asFlux();
    }

    private Mono<Void> pollOnce() {
        return feed.after(position(), BATCH)
                .doOnNext(event -> {
                    position.set(event.position());
                    events.tryEmitNext(event);
                })
                .then()
                .onErrorResume(error -> {
                    // PostgreSQL away: nothing new to read; the next tick starts from the same position
                    LOG.warn("Could not read the outbox", error);
                    return Mono.empty();
                });
    }
}
