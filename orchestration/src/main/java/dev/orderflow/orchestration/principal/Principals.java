package dev.orderflow.orchestration.principal;

import dev.orderflow.orchestration.support.Cursor;
import dev.orderflow.orchestration.support.Ids;
import dev.orderflow.orchestration.support.Page;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** The principals Orderflow has issued, in PostgreSQL. Keys are stored as SHA-256 hashes only. */
public class Principals {

    private static final String COLUMNS = "id, name, kind, roles, channels, token_hint, created_at";

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    public Principals(DatabaseClient db, TransactionalOperator tx) {
        this.db = db;
        this.tx = tx;
    }

    /** Stores a new principal with a fresh API key, and returns the key this once. */
    public Mono<IssuedPrincipal> issue(NewPrincipal request) {
        String token = ApiKeys.generate();
        Principal principal = new Principal(Ids.next(), request.name(), request.kind(), request.roles(),
                request.channels(), ApiKeys.hint(token), Instant.now());
        return insert(principal, ApiKeys.hash(token), false)
                .thenReturn(new IssuedPrincipal(principal, token));
    }

    /** The active (not revoked) principal holding this key, or empty. */
    public Mono<Principal> findActiveByToken(String token) {
        return db.sql("SELECT " + COLUMNS + " FROM principal WHERE token_hash = :hash AND revoked_at IS NULL")
                .bind("hash", ApiKeys.hash(token))
                .map(Principals::read)
                .one();
    }

    public Mono<Principal> findActive(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM principal WHERE id = :id AND revoked_at IS NULL")
                .bind("id", id)
                .map(Principals::read)
                .one();
    }

    public Mono<Page<Principal>> listActive(String cursor, int limit) {
        UUID after = Cursor.decode(cursor).orElse(new UUID(0, 0));
        return db.sql("SELECT " + COLUMNS + " FROM principal WHERE revoked_at IS NULL AND id > :after"
                        + " ORDER BY id LIMIT :limit")
                .bind("after", after)
                .bind("limit", limit + 1)
                .map(Principals::read)
                .all()
                .collectList()
                .map(rows -> Page.of(rows, limit, Principal::id));
    }

    /**
     * Revokes a principal; its key stops working at once. The bootstrap admin is never revoked
     * here: it is replaced by setting {@code ORDERFLOW_ADMIN_KEY}.
     *
     * @return whether an active, revocable principal was revoked
     */
    public Mono<Boolean> revoke(UUID id) {
        return db.sql("UPDATE principal SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL AND NOT bootstrap")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(count -> count > 0);
    }

    public Mono<Boolean> isBootstrapAdmin(UUID id) {
        return db.sql("SELECT bootstrap FROM principal WHERE id = :id")
                .bind("id", id)
                .map(row -> row.get("bootstrap", Boolean.class))
                .one()
                .defaultIfEmpty(false);
    }

    /**
     * Makes {@code token} the admin key. Any earlier admin key stops working.
     *
     * @return whether the key changed (false when it was already the admin key)
     */
    public Mono<Boolean> installAdminKey(String token) {
        byte[] hash = ApiKeys.hash(token);
        return isAdminKey(hash)
                .flatMap(current -> current ? Mono.just(false) : replaceAdminKey(token, hash));
    }

    /** Whether an admin key was ever installed (a generated one is printed only the first time). */
    public Mono<Boolean> hasAdminKey() {
        return db.sql("SELECT count(*) FROM principal WHERE bootstrap AND revoked_at IS NULL")
                .map(row -> row.get(0, Long.class))
                .one()
                .map(count -> count > 0);
    }

    /**
     * Under a lock, because every instance installs the key at start-up and a deployment starts
     * several at once; and reviving an earlier admin row of the same key (a key set back to a
     * previous value), whose hash the unique index still holds.
     */
    private Mono<Boolean> replaceAdminKey(String token, byte[] hash) {
        Principal admin = new Principal(Ids.next(), "admin", PrincipalKind.ADMIN, EnumSet.of(Role.ADMIN), List.of(),
                ApiKeys.hint(token), Instant.now());
        return db.sql("SELECT pg_advisory_xact_lock(hashtext('orderflow.admin-key'))")
                .then()
                .then(isAdminKey(hash))
                .flatMap(current -> current ? Mono.just(false) : revokeAdminKeysThenInstall(admin, hash))
                .as(tx::transactional);
    }

    private Mono<Boolean> isAdminKey(byte[] hash) {
        return db.sql("SELECT count(*) FROM principal WHERE bootstrap AND revoked_at IS NULL AND token_hash = :hash")
                .bind("hash", hash)
                .map(row -> row.get(0, Long.class))
                .one()
                .map(count -> count > 0);
    }

    private Mono<Boolean> revokeAdminKeysThenInstall(Principal admin, byte[] hash) {
        return db.sql("UPDATE principal SET revoked_at = now() WHERE bootstrap AND revoked_at IS NULL")
                .then()
                .then(db.sql("UPDATE principal SET revoked_at = NULL WHERE bootstrap AND token_hash = :hash")
                        .bind("hash", hash)
                        .fetch().rowsUpdated())
                .flatMap(revived -> revived > 0 ? Mono.<Void>empty() : insert(admin, hash, true))
                .thenReturn(true);
    }

    private Mono<Void> insert(Principal principal, byte[] tokenHash, boolean bootstrap) {
        return db.sql("INSERT INTO principal (id, name, kind, roles, channels, token_hash, token_hint, bootstrap, created_at)"
                        + " VALUES (:id, :name, :kind, :roles, :channels, :hash, :hint, :bootstrap, :createdAt)")
                .bind("id", principal.id())
                .bind("name", principal.name())
                .bind("kind", principal.kind().code())
                .bind("roles", principal.roles().stream().map(Role::code).sorted().toArray(String[]::new))
                .bind("channels", principal.channels().toArray(String[]::new))
                .bind("hash", tokenHash)
                .bind("hint", principal.tokenHint())
                .bind("bootstrap", bootstrap)
                .bind("createdAt", principal.createdAt().atOffset(ZoneOffset.UTC))
                .then();
    }

    private static Principal read(Readable row) {
        Set<Role> roles = Arrays.stream(row.get("roles", String[].class))
                .map(code -> Role.fromCode(code).orElseThrow())
                .collect(Collectors.toUnmodifiableSet());
        return new Principal(
                row.get("id", UUID.class),
                row.get("name", String.class),
                PrincipalKind.fromCode(row.get("kind", String.class)).orElseThrow(),
                roles,
                List.of(row.get("channels", String[].class)),
                row.get("token_hint", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant());
    }
}
