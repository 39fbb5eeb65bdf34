package dev.orderflow.orchestration.order;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Stored answers to requests with an {@code Idempotency-Key}, per principal. Written in the order's
 * own transaction (see {@link Orders#insert}), so a key exists if and only if its order does.
 */
public class IdempotencyRecords {

    /** Kept at least this long; the contract promises 24 hours. */
    public static final Duration RETENTION = Duration.ofHours(48);

    private final DatabaseClient db;

    public IdempotencyRecords(DatabaseClient db) {
        this.db = db;
    }

    /** A stored answer. */
    public record StoredResponse(byte[] requestHash, int status, String body, UUID orderId) {

        public boolean sameRequest(byte[] otherHash) {
            // constant time: the hash is not a secret, but a comparison that leaks nothing needs no review
            return MessageDigest.isEqual(requestHash, otherHash);
        }
    }

    public Mono<StoredResponse> find(UUID principalId, String key) {
        return db.sql("SELECT request_hash, status, response, order_id FROM idempotency_record"
                        + " WHERE principal_id = :principal AND key = :key")
                .bind("principal", principalId)
                .bind("key", key)
                .map(row -> new StoredResponse(toBytes(row.get("request_hash")), row.get("status", Integer.class),
                        row.get("response", String.class), row.get("order_id", UUID.class)))
                .one();
    }

    /** Forgets records past retention. */
    public Mono<Long> purgeExpired() {
        return db.sql("DELETE FROM idempotency_record WHERE created_at < now() - make_interval(secs => :seconds)")
                .bind("seconds", (double) RETENTION.toSeconds())
                .fetch()
                .rowsUpdated();
    }

    private static byte[] toBytes(Object value) {
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        return (byte[]) value;
    }
}
