package dev.orderflow.api.events;

import static dev.orderflow.api.events.LiveTailTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.orchestration.outbox.FeedEvent;
import dev.orderflow.orchestration.outbox.OutboxFeed;
import dev.orderflow.orchestration.outbox.Position;
import dev.orderflow.orchestration.principal.Principal;
import dev.orderflow.orchestration.principal.PrincipalKind;
import dev.orderflow.orchestration.principal.Role;
import dev.orderflow.orchestration.support.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The stream's logic without a server or a database: the poller and the outbox are stand-ins. */
class EventStreamsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final Principal MINE = new Principal(UUID.randomUUID(), "shop", PrincipalKind.CHANNEL, Set.of(Role.CHANNEL),
            List.of("mine"), "of_x", Instant.EPOCH);

    private final Sinks.Many<FeedEvent> poller = Sinks.many().multicast().directBestEffort();
    private final AtomicReference<Position> handedOut = new AtomicReference<>(Position.START);
    private final FakeOutbox outbox = new FakeOutbox();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void messagesCarryTheEventIdTypeAndBody() {
        FeedEvent accepted = event(5, "mine");

        streams(8).open(MINE, null)
                .as(StepVerifier::create)
                .expectNextMatches(opened -> "connected".equals(opened.comment()))
                .then(() -> poller.tryEmitNext(accepted))
                .assertNext(message -> {
                    assertThat(message.id()).isEqualTo(accepted.event().id().toString());
                    assertThat(message.event()).isEqualTo("order.accepted");
                    Map<String, Object> body = json.readValue(message.data(), new tools.jackson.core.type.TypeReference<>() {
                    });
                    assertThat(body).containsEntry("id", accepted.event().id().toString())
                            .containsEntry("type", "order.accepted")
                            .containsEntry("sequence", 1)
                            .containsEntry("timestamp", "1970-01-01T00:00:00Z")
                            .containsEntry("data", Map.of("orderId", accepted.event().id().toString()));
                })
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(poller.currentSubscriberCount()).isZero();
    }

    @Test
    void resumingReplaysUpToThePollerThenFollowsItWithoutGapOrRepeat() {
        FeedEvent seen = event(1, "mine");
        outbox.add(seen, event(2, "mine"), event(3, "theirs"), event(4, "mine"), event(5, "mine"));
        // the poller has handed out up to 4; 5 is readable, but it will come live
        handedOut.set(new Position(4, 1));

        streams(8).open(MINE, seen.event().id().toString())
                .filter(message -> message.data() != null)
                .map(message -> outbox.txOf(message.id()))
                .as(StepVerifier::create)
                .expectNext(2L, 4L)
                // 4 was being handed out as the stream subscribed: it arrives live too, and is dropped
                .then(() -> outbox.publish(poller, 4, 5))
                .expectNext(5L)
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void resumingFromAnEventThePollerHasNotReachedWaitsForIt() {
        FeedEvent seen = event(6, "mine");
        outbox.add(event(5, "mine"), seen, event(7, "mine"));
        handedOut.set(new Position(4, 1));

        streams(8).open(MINE, seen.event().id().toString())
                .filter(message -> message.data() != null)
                .map(message -> outbox.txOf(message.id()))
                .as(StepVerifier::create)
                .then(() -> outbox.publish(poller, 5, 6, 7))
                .expectNext(7L)
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void anUnknownOrMalformedLastEventIdFailsBeforeAnythingIsSent() {
        for (String lastEventId : List.of(UUID.randomUUID().toString(), "not-an-id")) {
            streams(8).open(MINE, lastEventId)
                    .as(StepVerifier::create)
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(DomainException.class,
                            domain -> assertThat(domain.kind()).isEqualTo(DomainException.Kind.INVALID)))
                    .verify(TIMEOUT);
        }
    }

    @Test
    void anIdleStreamSendsAHeartbeatEveryInterval() {
        EventStreams streams = streams(8);

        StepVerifier.withVirtualTime(() -> streams.open(MINE, null))
                .expectNextMatches(opened -> "connected".equals(opened.comment()))
                .expectNoEvent(Duration.ofSeconds(15).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNextMatches(heartbeat -> "heartbeat".equals(heartbeat.comment()))
                .thenAwait(Duration.ofSeconds(15))
                .expectNextMatches(heartbeat -> "heartbeat".equals(heartbeat.comment()))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void aClientTooSlowForItsBufferGetsTheEndOfTheStreamNotAGap() {
        StepVerifier.create(streams(8).open(MINE, null), 1)
                .expectNextMatches(opened -> "connected".equals(opened.comment()))
                .then(() -> {
                    for (int tx = 1; tx <= 20; tx++) {
                        poller.tryEmitNext(event(tx, "mine"));
                    }
                })
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(message -> message.data() != null)
                .expectNextMatches(last -> last.comment() != null && last.comment().startsWith("too slow"))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(poller.currentSubscriberCount()).isZero();
    }

    @Test
    void shuttingDownEndsEveryStream() {
        EventStreams streams = streams(8);
        streams.start();

        streams.open(MINE, null)
                .as(StepVerifier::create)
                .expectNextMatches(opened -> "connected".equals(opened.comment()))
                .then(streams::stop)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(poller.currentSubscriberCount()).isZero();
    }

    @Test
    void aStreamOpenedBeforeThePollerKnowsWhereItStartsWaitsForIt() {
        Sinks.One<Void> pollerStarted = Sinks.one();
        EventStreams streams = new EventStreams(outbox, poller::asFlux, handedOut::get, pollerStarted.asMono(),
                new EventStreamSettings(Duration.ofSeconds(15), 8), json);

        streams.open(MINE, null)
                .as(StepVerifier::create)
                // not even subscribed to the poller: its position would be meaningless yet
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(200))
                .then(() -> assertThat(poller.currentSubscriberCount()).isZero())
                .then(pollerStarted::tryEmitEmpty)
                .expectNextMatches(opened -> "connected".equals(opened.comment()))
                .thenCancel()
                .verify(TIMEOUT);
    }

    private EventStreams streams(int buffer) {
        return new EventStreams(outbox, poller::asFlux, handedOut::get, new EventStreamSettings(Duration.ofSeconds(15), buffer),
                json);
    }

    /** An outbox in memory: events by position, and a poller's way of handing them out. */
    private static final class FakeOutbox extends OutboxFeed {

        private final List<FeedEvent> events = new java.util.ArrayList<>();

        FakeOutbox() {
            super(null);
        }

        void add(FeedEvent... added) {
            events.addAll(List.of(added));
        }

        long txOf(String eventId) {
            return events.stream().filter(event -> event.event().id().toString().equals(eventId)).findFirst()
                    .orElseThrow().position().txId();
        }

        void publish(Sinks.Many<FeedEvent> poller, long... txs) {
            for (long tx : txs) {
                events.stream().filter(event -> event.position().txId() == tx).forEach(poller::tryEmitNext);
            }
        }

        @Override
        public Flux<FeedEvent> after(Position after, int limit) {
            return Flux.fromIterable(events).filter(event -> event.position().isAfter(after)).take(limit);
        }

        @Override
        public Mono<Position> positionOf(UUID eventId) {
            return Mono.justOrEmpty(events.stream().filter(event -> event.event().id().equals(eventId)).findFirst()
                    .map(FeedEvent::position));
        }
    }
}
