package dev.orderflow.orchestration.order;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/** Orders in {@code EXCEPTION}, with the step that failed and why, oldest first. */
public class ExceptionQueue {

    private final DatabaseClient db;

    public ExceptionQueue(DatabaseClient db) {
        this.db = db;
    }

    /** One order waiting for an operator. */
    public record Entry(UUID orderId, String channel, String externalRef, String statusBefore, String failedStep,
            String lastError, int attempts, Instant since) {
    }

    public Flux<Entry> oldestFirst(int limit) {
        return db.sql("""
                        SELECT o.id, o.channel, o.external_ref, o.status_before_exception, o.updated_at,
                               s.kind, s.last_error, s.attempts
                        FROM orders o
                        LEFT JOIN LATERAL (SELECT kind, last_error, attempts FROM step
                                           WHERE order_id = o.id AND state = 'FAILED'
                                           ORDER BY updated_at DESC LIMIT 1) s ON true
                        WHERE o.status = 'EXCEPTION'
                        ORDER BY o.updated_at LIMIT :limit""")
                .bind("limit", limit)
                .map(row -> new Entry(row.get("id", UUID.class), row.get("channel", String.class),
                        row.get("external_ref", String.class), row.get("status_before_exception", String.class),
                        row.get("kind", String.class), row.get("last_error", String.class),
                        row.get("attempts", Integer.class) == null ? 0 : row.get("attempts", Integer.class),
                        row.get("updated_at", OffsetDateTime.class).toInstant()))
                .all();
    }
}
