package dev.orderflow.orchestration.stock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Loads a warehouse's Redis keys from PostgreSQL: available = on-hand - open reservations, under a
 * new generation, while holding the warehouse lock exclusively (no order is half committed while
 * it reads). Concurrent callers in this instance share one rebuild; another instance's rebuild is
 * waited for on the lock and then found done, so a flush does not set off a stampede.
 */
public class StockRebuilder {

    private static final Logger LOG = LoggerFactory.getLogger(StockRebuilder.class);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final StockLock lock;
    private final Reservations reservations;
    private final Map<String, Mono<Boolean>> inFlight = new ConcurrentHashMap<>();

    public StockRebuilder(DatabaseClient db, TransactionalOperator tx, StockLock lock, Reservations reservations) {
        this.db = db;
        this.tx = tx;
        this.lock = lock;
        this.reservations = reservations;
    }

    /**
     * Makes sure the warehouse is loaded in Redis.
     *
     * @param force rebuild even if Redis already holds the current generation (drift was seen)
     * @return whether the warehouse exists (has any stock item)
     */
    public Mono<Boolean> rebuild(String warehouse, boolean force) {
        return inFlight.computeIfAbsent(warehouse, key -> rebuildOnce(warehouse, force)
                .doFinally(signal -> inFlight.remove(warehouse))
                .cache());
    }

    private Mono<Boolean> rebuildOnce(String warehouse, boolean force) {
        return lock.exclusive(warehouse)
                .flatMap(generation -> force ? load(warehouse) : loadUnlessCurrent(warehouse, generation))
                .as(tx::transactional);
    }

    private Mono<Boolean> loadUnlessCurrent(String warehouse, long generation) {
        return reservations.generation(warehouse)
                .filter(inRedis -> generation > 0 && inRedis == generation)
                .map(current -> true)
                .switchIfEmpty(Mono.defer(() -> load(warehouse)));
    }

    private Mono<Boolean> load(String warehouse) {
        return availableInPostgres(warehouse).flatMap(available -> {
            if (available.isEmpty()) {
                return Mono.just(false);
            }
            return nextGeneration(warehouse)
                    .flatMap(generation -> reservations.rebuild(warehouse, generation, available)
                            .doOnNext(dropped -> LOG.info("Loaded warehouse {} into Redis: {} SKUs, generation {}, {} stale pending reservations dropped",
                                    warehouse, available.size(), generation, dropped)))
                    .thenReturn(true);
        });
    }

    /** On-hand minus open reservations per SKU, as PostgreSQL has them now. */
    Mono<Map<String, Long>> availableInPostgres(String warehouse) {
        return db.sql("""
                        SELECT s.sku, s.on_hand - coalesce(r.reserved, 0) AS available
                        FROM stock_item s
                        LEFT JOIN (SELECT sku, sum(reserved) AS reserved FROM order_line
                                   WHERE warehouse = :warehouse AND reserved > 0 GROUP BY sku) r ON r.sku = s.sku
                        WHERE s.warehouse = :warehouse""")
                .bind("warehouse", warehouse)
                .map(row -> Map.entry(row.get("sku", String.class), row.get("available", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private Mono<Long> nextGeneration(String warehouse) {
        return db.sql("""
                        INSERT INTO stock_generation (warehouse, generation) VALUES (:warehouse, 1)
                        ON CONFLICT (warehouse) DO UPDATE SET generation = stock_generation.generation + 1
                        RETURNING generation""")
                .bind("warehouse", warehouse)
                .map(row -> row.get(0, Long.class))
                .one();
    }
}
