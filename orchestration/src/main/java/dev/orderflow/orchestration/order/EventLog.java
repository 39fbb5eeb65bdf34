package dev.orderflow.orchestration.order;

import java.time.ZoneOffset;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** Appends order events (timeline and outbox), any number in one statement, in the caller's transaction. */
final class EventLog {

    private EventLog() {
    }

    static Mono<Void> insert(DatabaseClient db, List<OrderEvent> events) {
        if (events.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                        INSERT INTO order_event (id, order_id, order_seq, channel, type, actor, data, created_at)
                        SELECT i, o, s, ch, ty, a, CAST(d AS jsonb), c
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:orders AS uuid[]), CAST(:seqs AS int[]), CAST(:channels AS text[]),
                                    CAST(:types AS text[]), CAST(:actors AS text[]), CAST(:data AS text[]),
                                    CAST(:times AS timestamptz[])) AS t(i, o, s, ch, ty, a, d, c)""")
                .bind("ids", events.stream().map(OrderEvent::id).toArray(java.util.UUID[]::new))
                .bind("orders", events.stream().map(OrderEvent::orderId).toArray(java.util.UUID[]::new))
                .bind("seqs", events.stream().map(OrderEvent::sequence).toArray(Integer[]::new))
                .bind("channels", events.stream().map(OrderEvent::channel).toArray(String[]::new))
                .bind("types", events.stream().map(OrderEvent::type).toArray(String[]::new))
                .bind("actors", events.stream().map(OrderEvent::actor).toArray(String[]::new))
                .bind("data", events.stream().map(OrderEvent::data).toArray(String[]::new))
                .bind("times", events.stream().map(event -> event.createdAt().atOffset(ZoneOffset.UTC)).toArray(java.time.OffsetDateTime[]::new))
                .then();
    }
}
