package dev.orderflow.orchestration.outbox;

import dev.orderflow.orchestration.order.OrderEvent;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads the outbox in position order, only as far as no transaction can still add to. */
public class OutboxFeed {

    private static final String COLUMNS = "id, order_id, order_seq, channel, type, actor, data::text AS data, created_at, tx_id, seq";

    private final DatabaseClient db;

    public OutboxFeed(DatabaseClient db) {
        this.db = db;
    }

    /** Up to {@code limit} events after {@code after}, oldest first, all below the in-progress horizon. */
    public Flux<FeedEvent> after(Position after, int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM order_event"
                        + " WHERE (tx_id, seq) > (:tx, :seq)"
                        + " AND tx_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
                        + " ORDER BY tx_id, seq LIMIT :limit")
                .bind("tx", after.txId())
                .bind("seq", after.seq())
                .bind("limit", limit)
                .map(OutboxFeed::read)
                .all();
    }

    /** Where an event stands, to resume after it (a stream's Last-Event-ID). */
    public Mono<Position> positionOf(UUID eventId) {
        return db.sql("SELECT tx_id, seq FROM order_event WHERE id = :id")
                .bind("id", eventId)
                .map(row -> new Position(row.get("tx_id", Long.class), row.get("seq", Long.class)))
                .one();
    }

    /** The position after every event readable now: where a reader that wants only new events starts. */
    public Mono<Position> head() {
        return db.sql("SELECT tx_id, seq FROM order_event"
                        + " WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
                        + " ORDER BY tx_id DESC, seq DESC LIMIT 1")
                .map(row -> new Position(row.get("tx_id", Long.class), row.get("seq", Long.class)))
                .one()
                .defaultIfEmpty(Position.START);
    }

    private static FeedEvent read(Readable row) {
        OrderEvent event = new OrderEvent(row.get("id", UUID.class), row.get("order_id", UUID.class),
                row.get("order_seq", Integer.class), row.get("channel", String.class), row.get("type", String.class),
                row.get("actor", String.class), row.get("data", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant());
        return new FeedEvent(new Position(row.get("tx_id", Long.class), row.get("seq", Long.class)), event);
    }
}
