package dev.orderflow.api.order;

import dev.orderflow.orchestration.order.OrderEvent;
import dev.orderflow.orchestration.support.Json;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One event of an order's timeline: what happened, who did it, when. */
public record TimelineEntry(UUID id, int sequence, String type, String actor, Instant at, Map<String, Object> data) {

    static TimelineEntry of(OrderEvent event) {
        return new TimelineEntry(event.id(), event.sequence(), event.type(), event.actor(), event.createdAt(),
                Json.readObject(event.data()));
    }
}
