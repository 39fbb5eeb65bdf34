package dev.orderflow.orchestration.stock;

import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The per-warehouse lock that keeps Redis and PostgreSQL in step, as a PostgreSQL advisory lock
 * held to the end of the current transaction. Order commits take it shared (they never wait for
 * each other); rebuilds, sweeps and stock changes take it exclusive, so they see no order half
 * committed. Each answers the warehouse's current generation, read after the lock is held.
 *
 * <p>Intake's one call takes the same lock, with the same key, in the database function
 * {@code intake_generation} (V7__intake_store.sql).
 */
public class StockLock {

    private final DatabaseClient db;

    public StockLock(DatabaseClient db) {
        this.db = db;
    }

    /** Must run inside a transaction. Answers the generation, 0 if the warehouse was never loaded. */
    public Mono<Long> shared(String warehouse) {
        return lock("pg_advisory_xact_lock_shared", warehouse).then(generation(warehouse));
    }

    /** Must run inside a transaction. Answers the generation, 0 if the warehouse was never loaded. */
    public Mono<Long> exclusive(String warehouse) {
        return lock("pg_advisory_xact_lock", warehouse).then(generation(warehouse));
    }

    private Mono<Void> lock(String function, String warehouse) {
        return db.sql("SELECT " + function + "(hashtextextended('stock:' || :warehouse, 0))")
                .bind("warehouse", warehouse)
                .then();
    }

    // a statement of its own: read committed takes its snapshot after the lock was granted
    private Mono<Long> generation(String warehouse) {
        return db.sql("SELECT generation FROM stock_generation WHERE warehouse = :warehouse")
                .bind("warehouse", warehouse)
                .map(row -> row.get(0, Long.class))
                .one()
                .defaultIfEmpty(0L);
    }
}
