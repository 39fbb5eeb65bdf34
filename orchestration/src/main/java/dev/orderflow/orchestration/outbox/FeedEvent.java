package dev.orderflow.orchestration.outbox;

import dev.orderflow.orchestration.order.OrderEvent;

/** An event as the outbox hands it out: the event and where it stands. */
public record FeedEvent(Position position, OrderEvent event) {
}
