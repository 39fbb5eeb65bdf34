package dev.orderflow.orchestration.webhook;

import dev.orderflow.orchestration.support.Cursor;
import dev.orderflow.orchestration.support.Ids;
import dev.orderflow.orchestration.support.Json;
import dev.orderflow.orchestration.support.Page;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The delivery queue in PostgreSQL. Only the head of each (subscription, order) line may go out,
 * so a partner sees an order's events in the order they happened; each subscription has at most a
 * few deliveries in flight, so one slow partner never holds up the others.
 */
public class Deliveries {

    private static final String COLUMNS = "id, subscription_id, event_id, order_id, order_seq, event_type, state, attempts,"
            + " next_attempt_at, last_status, last_error, created_at, delivered_at";

    private final DatabaseClient db;
    private final Clock clock;

    public Deliveries(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A delivery claimed for sending, with what to send. */
    public record Claimed(Delivery delivery, String eventData, Instant eventTime, OffsetDateTime leaseUntil) {
    }

    /** One delivery to create: this event, to this subscription. */
    record Fan(UUID subscriptionId, UUID eventId, UUID orderId, int orderSeq, String eventType) {
    }

    Mono<Void> insert(List<Fan> fans) {
        if (fans.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                        INSERT INTO webhook_delivery (id, subscription_id, event_id, order_id, order_seq, event_type, state,
                                                      next_attempt_at, created_at)
                        SELECT i, s, e, o, q, t, 'PENDING', :now, :now
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:subs AS uuid[]), CAST(:events AS uuid[]), CAST(:orders AS uuid[]),
                                    CAST(:seqs AS int[]), CAST(:types AS text[])) AS x(i, s, e, o, q, t)
                        ON CONFLICT (subscription_id, event_id) DO NOTHING""")
                .bind("ids", fans.stream().map(fan -> Ids.next()).toArray(UUID[]::new))
                .bind("subs", fans.stream().map(Fan::subscriptionId).toArray(UUID[]::new))
                .bind("events", fans.stream().map(Fan::eventId).toArray(UUID[]::new))
                .bind("orders", fans.stream().map(Fan::orderId).toArray(UUID[]::new))
                .bind("seqs", fans.stream().map(Fan::orderSeq).toArray(Integer[]::new))
                .bind("types", fans.stream().map(Fan::eventType).toArray(String[]::new))
                .bind("now", now())
                .then();
    }

    /** Claims due deliveries that head their (subscription, order) line, at most {@code perSubscription} each. */
    public Flux<Claimed> claim(int limit, int perSubscription, Duration lease) {
        OffsetDateTime leaseUntil = now().plus(lease);
        return db.sql("""
                        WITH due AS (
                            SELECT d.id, row_number() OVER (PARTITION BY d.subscription_id ORDER BY d.next_attempt_at, d.order_seq) AS rank
                            FROM webhook_delivery d
                            WHERE d.state = 'PENDING' AND d.next_attempt_at <= :now
                              AND (d.lease_until IS NULL OR d.lease_until < :now)
                              AND NOT EXISTS (SELECT 1 FROM webhook_delivery e
                                              WHERE e.subscription_id = d.subscription_id AND e.order_id = d.order_id
                                                AND e.state = 'PENDING' AND e.order_seq < d.order_seq)),
                        claimed AS (
                            SELECT id FROM webhook_delivery
                            WHERE id IN (SELECT id FROM due WHERE rank <= :perSubscription)
                              AND (lease_until IS NULL OR lease_until < :now)
                            LIMIT :limit
                            FOR UPDATE SKIP LOCKED)
                        UPDATE webhook_delivery w SET lease_until = :leaseUntil, attempts = w.attempts + 1
                        FROM claimed c, order_event ev
                        WHERE w.id = c.id AND ev.id = w.event_id
                        RETURNING w.id, w.subscription_id, w.event_id, w.order_id, w.order_seq, w.event_type, w.state, w.attempts,
                                  w.next_attempt_at, w.last_status, w.last_error, w.created_at, w.delivered_at,
                                  ev.data::text AS event_data, ev.created_at AS event_time""")
                .bind("now", now())
                .bind("perSubscription", perSubscription)
                .bind("limit", limit)
                .bind("leaseUntil", leaseUntil)
                .map(row -> new Claimed(read(row), row.get("event_data", String.class),
                        row.get("event_time", OffsetDateTime.class).toInstant(), leaseUntil))
                .all();
    }

    /** Records the outcome of an attempt, fenced by the lease this worker took. */
    Mono<Boolean> settle(Claimed claimed, String state, Integer status, String error, Instant nextAttempt) {
        DatabaseClient.GenericExecuteSpec update = db.sql("""
                        UPDATE webhook_delivery SET state = :state, last_status = :status, last_error = :error,
                               next_attempt_at = :next, lease_until = NULL,
                               delivered_at = CASE WHEN :state = 'DELIVERED' THEN :now ELSE delivered_at END
                        WHERE id = :id AND lease_until = :lease""")
                .bind("state", state)
                .bind("next", (nextAttempt == null ? clock.instant() : nextAttempt).atOffset(ZoneOffset.UTC))
                .bind("now", now())
                .bind("id", claimed.delivery().id())
                .bind("lease", claimed.leaseUntil());
        update = status == null ? update.bindNull("status", Integer.class) : update.bind("status", status);
        update = error == null ? update.bindNull("error", String.class) : update.bind("error", error);
        return update.fetch().rowsUpdated().map(count -> count == 1);
    }

    /**
     * Gives back deliveries this worker claimed and never answered (it is shutting down): due now,
     * the attempt not counted. Fenced by each lease, like {@link #settle}.
     *
     * @return how many were given back
     */
    public Mono<Long> release(List<Claimed> claimed) {
        return db.sql("""
                        UPDATE webhook_delivery w SET lease_until = NULL, next_attempt_at = :now, attempts = w.attempts - 1
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:leases AS timestamptz[])) AS held(id, lease)
                        WHERE w.id = held.id AND w.lease_until = held.lease AND w.state = 'PENDING'""")
                .bind("ids", claimed.stream().map(one -> one.delivery().id()).toArray(UUID[]::new))
                .bind("leases", claimed.stream().map(Claimed::leaseUntil).toArray(OffsetDateTime[]::new))
                .bind("now", now())
                .fetch().rowsUpdated();
    }

    /** Deliveries waiting to go out, and how long the oldest has waited: for the backlog gauges. */
    public record Backlog(long pending, java.time.Duration oldestAge) {
    }

    public Mono<Backlog> backlog() {
        return db.sql("""
                        SELECT count(*) AS pending, min(created_at) AS oldest
                        FROM webhook_delivery WHERE state = 'PENDING'""")
                .map(row -> {
                    OffsetDateTime oldest = row.get("oldest", OffsetDateTime.class);
                    java.time.Duration age = oldest == null ? java.time.Duration.ZERO
                            : java.time.Duration.between(oldest.toInstant(), clock.instant());
                    return new Backlog(row.get("pending", Long.class), age.isNegative() ? java.time.Duration.ZERO : age);
                })
                .one();
    }

    /** Tells the order's timeline (and so its channel's owners) that a delivery was given up. */
    Mono<Void> announceDeadLetter(Delivery delivery, String why) {
        return db.sql("""
                        WITH o AS (UPDATE orders SET event_seq = event_seq + 1 WHERE id = :order RETURNING id, channel, event_seq)
                        INSERT INTO order_event (id, order_id, order_seq, channel, type, actor, data, created_at)
                        SELECT :eventId, o.id, o.event_seq, o.channel, 'webhook.dead_lettered', 'webhooks', CAST(:data AS jsonb), :now FROM o""")
                .bind("order", delivery.orderId())
                .bind("eventId", Ids.next())
                .bind("data", Json.write(Map.of("orderId", delivery.orderId(), "subscriptionId", delivery.subscriptionId(),
                        "deliveryId", delivery.id(), "eventId", delivery.eventId(), "eventType", delivery.eventType(), "reason", why)))
                .bind("now", now())
                .then();
    }

    public Mono<Page<Delivery>> log(UUID subscriptionId, String cursor, int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM webhook_delivery WHERE subscription_id = :sub AND id > :after ORDER BY id LIMIT :limit")
                .bind("sub", subscriptionId)
                .bind("after", Cursor.decode(cursor).orElse(new UUID(0, 0)))
                .bind("limit", limit + 1)
                .map(Deliveries::read)
                .all()
                .collectList()
                .map(rows -> Page.of(rows, limit, Delivery::id));
    }

    /** Sends one delivery again, now, whatever became of it. */
    public Mono<Boolean> redeliver(UUID subscriptionId, UUID deliveryId) {
        return requeue("id = :delivery", subscriptionId, deliveryId, null).map(count -> count == 1);
    }

    /** Sends again every delivery of events since {@code since}. */
    public Mono<Long> replaySince(UUID subscriptionId, Instant since) {
        return requeue("created_at >= :since", subscriptionId, null, since);
    }

    private Mono<Long> requeue(String which, UUID subscriptionId, UUID deliveryId, Instant since) {
        DatabaseClient.GenericExecuteSpec update = db.sql("UPDATE webhook_delivery SET state = 'PENDING', attempts = 0,"
                        + " next_attempt_at = :now, lease_until = NULL WHERE subscription_id = :sub AND " + which)
                .bind("now", now())
                .bind("sub", subscriptionId);
        update = deliveryId != null ? update.bind("delivery", deliveryId) : update.bind("since", since.atOffset(ZoneOffset.UTC));
        return update.fetch().rowsUpdated();
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static Delivery read(Readable row) {
        OffsetDateTime delivered = row.get("delivered_at", OffsetDateTime.class);
        return new Delivery(row.get("id", UUID.class), row.get("subscription_id", UUID.class), row.get("event_id", UUID.class),
                row.get("order_id", UUID.class), row.get("order_seq", Integer.class), row.get("event_type", String.class),
                row.get("state", String.class), row.get("attempts", Integer.class),
                row.get("next_attempt_at", OffsetDateTime.class).toInstant(), row.get("last_status", Integer.class),
                row.get("last_error", String.class), row.get("created_at", OffsetDateTime.class).toInstant(),
                delivered == null ? null : delivered.toInstant());
    }
}
