package dev.orderflow.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.orchestration.order.OrderEvent;
import dev.orderflow.orchestration.outbox.FeedEvent;
import dev.orderflow.orchestration.outbox.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class LiveTailTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Sinks.Many<FeedEvent> poller = Sinks.many().multicast().directBestEffort();

    @Test
    void holdsWhatArrivesBeforeItIsReadAndSkipsWhatItDoesNotWant() {
        LiveTail tail = LiveTail.follow(poller.asFlux(), () -> new Position(7, 1), event -> event.event().channel().equals("mine"), 8);

        poller.tryEmitNext(event(8, "mine"));
        poller.tryEmitNext(event(9, "theirs"));
        poller.tryEmitNext(event(10, "mine"));

        assertThat(tail.start()).isEqualTo(new Position(7, 1));
        tail.after(Position.START)
                .map(event -> event.position().txId())
                .as(StepVerifier::create)
                .expectNext(8L, 10L)
                .then(tail::dispose)
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(poller.currentSubscriberCount()).isZero();
    }

    @Test
    void readsTheStartOnlyOnceSubscribed() {
        // a poller that hands an event out while the tail reads its position: the tail must get it
        LiveTail tail = LiveTail.follow(poller.asFlux(), () -> {
            poller.tryEmitNext(event(3, "mine"));
            return new Position(3, 1);
        }, event -> true, 8);

        tail.after(Position.START)
                .map(event -> event.position().txId())
                .as(StepVerifier::create)
                .expectNext(3L)
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void aFullBufferFailsTheTailInsteadOfDroppingEvents() {
        LiveTail tail = LiveTail.follow(poller.asFlux(), () -> Position.START, event -> true, 8);

        for (int tx = 1; tx <= 10; tx++) {
            poller.tryEmitNext(event(tx, "mine"));
        }

        // what was held is still handed out, then the end: the reader resumes from the outbox
        tail.after(Position.START)
                .map(event -> event.position().txId())
                .as(StepVerifier::create)
                .expectNext(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L)
                .expectError(LiveTail.SlowReader.class)
                .verify(TIMEOUT);
    }

    static FeedEvent event(long tx, String channel) {
        UUID id = UUID.randomUUID();
        String data = "{\"orderId\":\"" + id + "\"}";
        return new FeedEvent(new Position(tx, 1),
                new OrderEvent(id, UUID.randomUUID(), 1, channel, "order.accepted", "test", data, Instant.EPOCH));
    }
}
