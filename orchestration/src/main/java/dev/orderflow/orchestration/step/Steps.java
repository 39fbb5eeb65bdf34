package dev.orderflow.orchestration.step;

import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Steps in PostgreSQL: created in their order's transaction, claimed under a lease, settled with fencing. */
public class Steps {

    private static final String COLUMNS = "id, order_id, kind, state, attempts, next_attempt_at, last_error, "
            + "payload::text AS payload, result::text AS result";

    private final DatabaseClient db;
    private final Clock clock;

    public Steps(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Creates steps, due now. Run in the transaction that makes them necessary. */
    public Mono<Void> insert(List<NewStep> steps) {
        if (steps.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                        INSERT INTO step (id, order_id, kind, state, next_attempt_at, payload, created_at, updated_at)
                        SELECT i, o, k, 'PENDING', :now, CAST(p AS jsonb), :now, :now
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:orders AS uuid[]), CAST(:kinds AS text[]), CAST(:payloads AS text[]))
                             AS t(i, o, k, p)""")
                .bind("ids", steps.stream().map(NewStep::id).toArray(UUID[]::new))
                .bind("orders", steps.stream().map(NewStep::orderId).toArray(UUID[]::new))
                .bind("kinds", steps.stream().map(step -> step.kind().name()).toArray(String[]::new))
                .bind("payloads", steps.stream().map(NewStep::payload).toArray(String[]::new))
                .bind("now", now())
                .then();
    }

    /**
     * Claims up to {@code limit} due steps of these kinds: pending ones whose time has come, and
     * running ones whose lease ran out (their worker died). Each claim counts as an attempt.
     */
    public Flux<Step> claimDue(String owner, Collection<StepKind> kinds, int limit, Duration lease) {
        if (kinds.isEmpty() || limit <= 0) {
            return Flux.empty();
        }
        return db.sql("""
                        UPDATE step SET state = 'RUNNING', lease_owner = :owner, lease_until = :leaseUntil,
                                        attempts = attempts + 1, updated_at = :now
                        WHERE id IN (SELECT id FROM step
                                     WHERE kind = ANY(:kinds)
                                       AND ((state = 'PENDING' AND next_attempt_at <= :now)
                                            OR (state = 'RUNNING' AND lease_until < :now))
                                     ORDER BY next_attempt_at
                                     LIMIT :limit
                                     FOR UPDATE SKIP LOCKED)
                        RETURNING """ + " " + COLUMNS)
                .bind("owner", owner)
                .bind("leaseUntil", now().plus(lease))
                .bind("now", now())
                .bind("kinds", kinds.stream().map(Enum::name).toArray(String[]::new))
                .bind("limit", limit)
                .map(Steps::read)
                .all();
    }

    /** Claims these steps if they are still pending (the fast path right after they were created). */
    public Flux<Step> claim(String owner, Collection<UUID> ids, Duration lease) {
        if (ids.isEmpty()) {
            return Flux.empty();
        }
        return db.sql("""
                        UPDATE step SET state = 'RUNNING', lease_owner = :owner, lease_until = :leaseUntil,
                                        attempts = attempts + 1, updated_at = :now
                        WHERE id IN (SELECT id FROM step WHERE id = ANY(:ids) AND state = 'PENDING'
                                     FOR UPDATE SKIP LOCKED)
                        RETURNING """ + " " + COLUMNS)
                .bind("owner", owner)
                .bind("leaseUntil", now().plus(lease))
                .bind("now", now())
                .bind("ids", ids.toArray(UUID[]::new))
                .map(Steps::read)
                .all();
    }

    /**
     * Settles a step this worker holds. Fenced by the lease: if another worker took the step over
     * (this one was too slow or presumed dead), nothing changes and the answer is false.
     */
    public Mono<Boolean> settle(Step step, String owner, StepState state, String result, String error, Instant nextAttempt) {
        DatabaseClient.GenericExecuteSpec update = db.sql("""
                        UPDATE step SET state = :state, result = CAST(:result AS jsonb), last_error = :error,
                                        next_attempt_at = :next, lease_owner = NULL, lease_until = NULL, updated_at = :now
                        WHERE id = :id AND state = 'RUNNING' AND lease_owner = :owner""")
                .bind("state", state.name())
                .bind("next", (nextAttempt == null ? clock.instant() : nextAttempt).atOffset(ZoneOffset.UTC))
                .bind("now", now())
                .bind("id", step.id())
                .bind("owner", owner);
        update = result == null ? update.bindNull("result", String.class) : update.bind("result", result);
        update = error == null ? update.bindNull("error", String.class) : update.bind("error", error);
        return update.fetch().rowsUpdated().map(count -> count == 1);
    }

    /** Gives a claimed step back without counting the attempt (its circuit was open, or its bulkhead full). */
    public Mono<Boolean> putBack(Step step, String owner, Instant nextAttempt) {
        return db.sql("""
                        UPDATE step SET state = 'PENDING', attempts = attempts - 1, next_attempt_at = :next,
                                        lease_owner = NULL, lease_until = NULL, updated_at = :now
                        WHERE id = :id AND state = 'RUNNING' AND lease_owner = :owner""")
                .bind("next", nextAttempt.atOffset(ZoneOffset.UTC))
                .bind("now", now())
                .bind("id", step.id())
                .bind("owner", owner)
                .fetch().rowsUpdated().map(count -> count == 1);
    }

    /**
     * Gives back every step {@code owner} holds, due now, for another worker to claim at once (a
     * worker shutting down). The claim's attempt stays counted: the call may have gone out.
     *
     * @return the kind of each step given back
     */
    public Flux<StepKind> releaseHeld(String owner) {
        return db.sql("""
                        UPDATE step SET state = 'PENDING', next_attempt_at = :now, lease_owner = NULL, lease_until = NULL,
                                        updated_at = :now
                        WHERE state = 'RUNNING' AND lease_owner = :owner
                        RETURNING kind""")
                .bind("now", now())
                .bind("owner", owner)
                .map(row -> StepKind.valueOf(row.get("kind", String.class)))
                .all();
    }

    /** Steps due and not yet claimed, and how late the most overdue one is: for the engine's gauges. */
    public record Due(long count, Duration oldestLate) {
    }

    public Mono<Due> due() {
        return db.sql("SELECT count(*) AS due, min(next_attempt_at) AS oldest FROM step WHERE state = 'PENDING' AND next_attempt_at <= :now")
                .bind("now", now())
                .map(row -> {
                    OffsetDateTime oldest = row.get("oldest", OffsetDateTime.class);
                    Duration late = oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), clock.instant());
                    return new Due(row.get("due", Long.class), late.isNegative() ? Duration.ZERO : late);
                })
                .one();
    }

    public Flux<Step> forOrder(UUID orderId) {
        return db.sql("SELECT " + COLUMNS + " FROM step WHERE order_id = :id ORDER BY created_at, id")
                .bind("id", orderId)
                .map(Steps::read)
                .all();
    }

    /** Cancels the order's steps that have not started. Running ones finish and find the order cancelled. */
    public Mono<Long> cancelPending(UUID orderId) {
        return db.sql("UPDATE step SET state = 'CANCELLED', updated_at = :now WHERE order_id = :id AND state = 'PENDING'")
                .bind("now", now())
                .bind("id", orderId)
                .fetch().rowsUpdated();
    }

    /** Puts the order's failed steps back in the queue with fresh attempts. */
    public Mono<List<UUID>> retryFailed(UUID orderId) {
        return db.sql("""
                        UPDATE step SET state = 'PENDING', attempts = 0, next_attempt_at = :now, last_error = NULL, updated_at = :now
                        WHERE order_id = :id AND state = 'FAILED' RETURNING id""")
                .bind("now", now())
                .bind("id", orderId)
                .map(row -> row.get(0, UUID.class))
                .all()
                .collectList();
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static Step read(Readable row) {
        return new Step(row.get("id", UUID.class), row.get("order_id", UUID.class), StepKind.valueOf(row.get("kind", String.class)),
                StepState.valueOf(row.get("state", String.class)), row.get("attempts", Integer.class),
                row.get("next_attempt_at", OffsetDateTime.class).toInstant(), row.get("last_error", String.class),
                row.get("payload", String.class), row.get("result", String.class));
    }
}
