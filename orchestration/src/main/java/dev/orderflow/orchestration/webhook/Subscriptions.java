package dev.orderflow.orchestration.webhook;

import dev.orderflow.orchestration.support.Ids;
import dev.orderflow.orchestration.support.SecureRandoms;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Webhook subscriptions in PostgreSQL, and their Standard Webhooks secrets ({@code whsec_} + base64 of 32 random bytes). */
public class Subscriptions {

    /** How long a rotated-out secret still signs, so partners can switch without losing a delivery. */
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);
    private static final String COLUMNS = "id, owner_id, url, events, channels, secret, previous_secret, previous_secret_until,"
            + " disabled_at, disabled_reason, created_at";

    private final DatabaseClient db;
    private final Clock clock;

    public Subscriptions(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Mono<Subscription> create(UUID ownerId, String url, List<String> events, List<String> channels) {
        Subscription subscription = new Subscription(Ids.next(), ownerId, url, events, channels, newSecret(), null, null, null,
                null, clock.instant());
        return db.sql("INSERT INTO webhook_subscription (id, owner_id, url, events, channels, secret, created_at)"
                        + " VALUES (:id, :owner, :url, :events, :channels, :secret, :now)")
                .bind("id", subscription.id())
                .bind("owner", ownerId)
                .bind("url", url)
                .bind("events", events.toArray(String[]::new))
                .bind("channels", channels.toArray(String[]::new))
                .bind("secret", subscription.secret())
                .bind("now", at(subscription.createdAt()))
                .then()
                .thenReturn(subscription);
    }

    /** Every subscription that may receive deliveries (not deleted, not disabled). */
    public Flux<Subscription> active() {
        return db.sql("SELECT " + COLUMNS + " FROM webhook_subscription WHERE deleted_at IS NULL AND disabled_at IS NULL")
                .map(Subscriptions::read)
                .all();
    }

    /** The owner's subscriptions, or everyone's when {@code ownerId} is null (admin). */
    public Flux<Subscription> list(UUID ownerId) {
        String filter = ownerId == null ? "" : " AND owner_id = :owner";
        DatabaseClient.GenericExecuteSpec query = db.sql("SELECT " + COLUMNS + " FROM webhook_subscription WHERE deleted_at IS NULL"
                + filter + " ORDER BY id");
        return (ownerId == null ? query : query.bind("owner", ownerId)).map(Subscriptions::read).all();
    }

    public Mono<Subscription> find(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM webhook_subscription WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id)
                .map(Subscriptions::read)
                .one();
    }

    public Mono<Boolean> delete(UUID id) {
        return db.sql("UPDATE webhook_subscription SET deleted_at = :now WHERE id = :id AND deleted_at IS NULL")
                .bind("now", at(clock.instant()))
                .bind("id", id)
                .fetch().rowsUpdated().map(count -> count > 0);
    }

    /** A new secret; the old one keeps signing (alongside) for {@link #ROTATION_OVERLAP}. */
    public Mono<Subscription> rotateSecret(UUID id) {
        return db.sql("UPDATE webhook_subscription SET previous_secret = secret, previous_secret_until = :until, secret = :secret"
                        + " WHERE id = :id AND deleted_at IS NULL RETURNING " + COLUMNS)
                .bind("until", at(clock.instant().plus(ROTATION_OVERLAP)))
                .bind("secret", newSecret())
                .bind("id", id)
                .map(Subscriptions::read)
                .one();
    }

    /** The partner answered 410 Gone: stop sending. */
    public Mono<Void> disable(UUID id, String reason) {
        return db.sql("UPDATE webhook_subscription SET disabled_at = :now, disabled_reason = :reason WHERE id = :id AND disabled_at IS NULL")
                .bind("now", at(clock.instant()))
                .bind("reason", reason)
                .bind("id", id)
                .then();
    }

    static String newSecret() {
        byte[] secret = new byte[32];
        SecureRandoms.drbg().nextBytes(secret);
        return "whsec_" + Base64.getEncoder().encodeToString(secret);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Subscription read(Readable row) {
        return new Subscription(row.get("id", UUID.class), row.get("owner_id", UUID.class), row.get("url", String.class),
                List.of(row.get("events", String[].class)), List.of(row.get("channels", String[].class)),
                row.get("secret", String.class), row.get("previous_secret", String.class), instant(row, "previous_secret_until"),
                instant(row, "disabled_at"), row.get("disabled_reason", String.class), instant(row, "created_at"));
    }
}
