package dev.orderflow.api.events;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.orderflow.orchestration.order.OrderEvent;
import dev.orderflow.orchestration.outbox.FeedEvent;
import dev.orderflow.orchestration.outbox.OutboxFeed;
import dev.orderflow.orchestration.outbox.Position;
import dev.orderflow.orchestration.principal.Principal;
import dev.orderflow.orchestration.support.DomainException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * Live event streams: each caller's order events as Server-Sent Events, as this instance's outbox
 * poller hands them out, whichever instance committed them (the poller reads PostgreSQL).
 *
 * <p><b>Resuming.</b> With a {@code Last-Event-ID} a stream first subscribes to the poller (a
 * {@link LiveTail}, buffering), then replays from the outbox every event after that id up to where
 * the poller had got to when the tail subscribed, then goes on with the tail's events after it.
 * Positions are totally ordered and the poller hands events out in that order, so the handover has
 * no gap and no repeat. Without a {@code Last-Event-ID} a stream starts with what comes next.
 *
 * <p><b>Slow clients.</b> Each stream holds at most {@link EventStreamSettings#buffer()} new events
 * (rounded up to a power of two, at least 8) for a client that reads slower than events arrive. The poller
 * hands events out best-effort, so a stream that stopped taking them would silently miss some;
 * instead, when the buffer is full the stream ends (a final comment, then the end of the
 * response). Memory stays bounded, nothing is skipped: the client reconnects with the last id it
 * read, as EventSource does by itself, and the replay fills in from PostgreSQL.
 *
 * <p><b>Idle streams</b> get a comment every {@link EventStreamSettings#heartbeat()}, so proxies do
 * not close them; at shutdown every stream ends, so clients resume on another instance instead of
 * holding up the graceful shutdown.
 */
public class EventStreams implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
    private static final int PAGE = 500;
    private static final ServerSentEvent<String> OPENED = ServerSentEvent.<String>builder().comment("connected").build();
    private static final ServerSentEvent<String> HEARTBEAT = ServerSentEvent.<String>builder().comment("heartbeat").build();
    private static final ServerSentEvent<String> TOO_SLOW = ServerSentEvent.<String>builder()
            .comment("too slow: reconnect with Last-Event-ID").build();

    private final OutboxFeed feed;
    private final Supplier<Flux<FeedEvent>> live;
    private final Supplier<Position> handedOut;
    private final EventStreamSettings settings;
    private final JsonMapper json;
    private volatile Sinks.One<Boolean> closing = Sinks.one();
    private volatile boolean running;

    private final Mono<Void> ready;

    /**
     * @param live      this instance's new events, in outbox order (the poller's)
     * @param handedOut how far the poller has handed events out
     */
    public EventStreams(OutboxFeed feed, Supplier<Flux<FeedEvent>> live, Supplier<Position> handedOut,
            EventStreamSettings settings, JsonMapper json) {
        this(feed, live, handedOut, Mono.empty(), settings, json);
    }

    /** @param ready completes once {@code handedOut} means something (the poller has read where it starts) */
    public EventStreams(OutboxFeed feed, Supplier<Flux<FeedEvent>> live, Supplier<Position> handedOut, Mono<Void> ready,
            EventStreamSettings settings, JsonMapper json) {
        this.ready = ready;
        this.feed = feed;
        this.live = live;
        this.handedOut = handedOut;
        this.settings = settings;
        this.json = json;
    }

    /**
     * The events {@code principal} may see, from after {@code lastEventId} (null or blank: from now
     * on). An id that is not an event's fails with a 400 problem before anything is sent.
     */
    public Flux<ServerSentEvent<String>> open(Principal principal, String lastEventId) {
        Predicate<FeedEvent> visible = event -> principal.canSee(event.event().channel());
        Flux<ServerSentEvent<String>> heartbeats = Flux.interval(settings.heartbeat(), settings.heartbeat())
                .onBackpressureDrop()
                .map(tick -> HEARTBEAT);
        return resumePoint(lastEventId)
                // prefetch 1: what a slow client has not read waits in the tail, whose bound is the one that counts
                .flatMapMany(after -> Flux.merge(1, events(visible, after), heartbeats))
                .takeUntilOther(closing.asMono())
                .onErrorResume(LiveTail.SlowReader.class, slow -> tooSlow(principal));
    }

    private Mono<Optional<Position>> resumePoint(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return Mono.just(Optional.empty());
        }
        return Mono.fromCallable(() -> UUID.fromString(lastEventId.strip()))
                .onErrorMap(IllegalArgumentException.class, notAnId -> unknownEvent())
                .flatMap(feed::positionOf)
                .map(Optional::of)
                .switchIfEmpty(Mono.error(EventStreams::unknownEvent));
    }

    /** A tail first; once it follows the poller, the messages: history (if resuming), then the tail's. */
    private Flux<ServerSentEvent<String>> events(Predicate<FeedEvent> visible, Optional<Position> after) {
        // a stream opened in the instant between the server starting and the poller knowing its place waits for it
        return ready.thenMany(Flux.using(() -> LiveTail.follow(live.get(), handedOut, visible, settings.buffer()),
                tail -> Flux.concat(Mono.just(OPENED), sequence(tail, after, visible).map(this::message)),
                LiveTail::dispose));
    }

    private Flux<FeedEvent> sequence(LiveTail tail, Optional<Position> after, Predicate<FeedEvent> visible) {
        if (after.isEmpty()) {
            return tail.after(Position.START);
        }
        Position from = after.get();
        // the poller may not have reached an event another instance reported: then there is no history to read
        Position replayedTo = tail.start().isAfter(from) ? tail.start() : from;
        return history(from, replayedTo)
                .filter(visible)
                .concatWith(tail.after(replayedTo));
    }

    /** The outbox after {@code after} up to {@code upTo}, page by page. */
    private Flux<FeedEvent> history(Position after, Position upTo) {
        if (!upTo.isAfter(after)) {
            return Flux.empty();
        }
        return page(after)
                .expand(page -> page.size() == PAGE && !last(page).isAfter(upTo) ? page(last(page)) : Mono.empty())
                .flatMapIterable(page -> page)
                .takeWhile(event -> !event.position().isAfter(upTo));
    }

    private Mono<List<FeedEvent>> page(Position after) {
        return feed.after(after, PAGE).collectList();
    }

    private static Position last(List<FeedEvent> page) {
        return page.get(page.size() - 1).position();
    }

    private ServerSentEvent<String> message(FeedEvent feedEvent) {
        OrderEvent event = feedEvent.event();
        Body body = new Body(event.id(), event.type(), event.createdAt(), event.sequence(), event.data());
        return ServerSentEvent.<String>builder()
                .id(event.id().toString())
                .event(event.type())
                .data(json.writeValueAsString(body))
                .build();
    }

    private static Mono<ServerSentEvent<String>> tooSlow(Principal principal) {
        LOG.warn("Ended the live event stream of {}: it read too slowly; it resumes with Last-Event-ID", principal.name());
        return Mono.just(TOO_SLOW);
    }

    private static DomainException unknownEvent() {
        return new DomainException(DomainException.Kind.INVALID, "unknown-event", "Unknown Last-Event-ID",
                "Last-Event-ID is not the id of an event. Resume with the id of the last event received,"
                        + " or connect without it to receive new events only.");
    }

    /** The {@code data:} of each message: the event, its payload as stored. */
    record Body(UUID id, String type, Instant timestamp, int sequence, @JsonRawValue String data) {
    }

    @Override
    public void start() {
        closing = Sinks.one();
        running = true;
    }

    /** Ends every stream, so that clients resume elsewhere while the web server drains. */
    @Override
    public void stop() {
        running = false;
        closing.tryEmitValue(true);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // the phase of the web server's graceful shutdown (Spring Boot's WebServerGracefulShutdownLifecycle),
        // which otherwise waits for these endless responses until it times out
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
