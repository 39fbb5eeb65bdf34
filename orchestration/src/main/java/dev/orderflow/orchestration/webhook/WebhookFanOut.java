package dev.orderflow.orchestration.webhook;

import dev.orderflow.orchestration.outbox.FeedEvent;
import dev.orderflow.orchestration.outbox.OutboxCursor;
import dev.orderflow.orchestration.outbox.OutboxFeed;
import java.util.ArrayList;
import java.util.List;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Turns outbox events into deliveries, one per interested subscription, and moves the cursor past
 * them in the same transaction: every event reaches every subscription that wants it, once. A
 * subscription gets the events that happened after it was created.
 */
public class WebhookFanOut {

    private static final int BATCH = 500;

    /** The cursor's name: it was the fan-out's advisory lock key before the cursor had its own class. */
    public static final String CURSOR = "webhook-fan-out";

    private final OutboxFeed feed;
    private final OutboxCursor cursor;
    private final Subscriptions subscriptions;
    private final Deliveries deliveries;
    private final TransactionalOperator tx;

    public WebhookFanOut(OutboxFeed feed, OutboxCursor cursor, Subscriptions subscriptions, Deliveries deliveries,
            TransactionalOperator tx) {
        this.feed = feed;
        this.cursor = cursor;
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.tx = tx;
    }

    /** One pass; answers how many events it read (0 when another instance holds the turn). */
    public Mono<Integer> runOnce() {
        return cursor.tryTurn()
                .flatMap(mine -> mine ? fanOut() : Mono.just(0))
                .as(tx::transactional);
    }

    private Mono<Integer> fanOut() {
        return cursor.position()
                .flatMap(position -> feed.after(position, BATCH).collectList())
                .filter(events -> !events.isEmpty())
                .flatMap(events -> subscriptions.active().collectList()
                        .flatMap(active -> deliveries.insert(fans(events, active)))
                        .then(cursor.advance(events.get(events.size() - 1).position()))
                        .thenReturn(events.size()))
                .defaultIfEmpty(0);
    }

    private static List<Deliveries.Fan> fans(List<FeedEvent> events, List<Subscription> active) {
        List<Deliveries.Fan> fans = new ArrayList<>();
        for (FeedEvent fed : events) {
            for (Subscription subscription : active) {
                if (subscription.wants(fed.event().type(), fed.event().channel())
                        && !fed.event().createdAt().isBefore(subscription.createdAt())) {
                    fans.add(new Deliveries.Fan(subscription.id(), fed.event().id(), fed.event().orderId(),
                            fed.event().sequence(), fed.event().type()));
                }
            }
        }
        return fans;
    }
}
