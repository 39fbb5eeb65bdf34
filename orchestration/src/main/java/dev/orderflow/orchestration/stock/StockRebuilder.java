package dev.orderflow.orchestration.stock;

import java.util.HashMap;
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
        return availableInPostgres(db, warehouse);
    }

    /**
     * The same, read through {@code on} (a transaction with a snapshot of its own). Two plain scans,
     * added up here rather than joined in SQL: for a warehouse the statistics do not know yet (new,
     * or a big table not re-analysed) the planner expected one row on each side and chose a nested
     * loop that summed every open line again for each SKU - over a minute, under the warehouse lock,
     * with 5 million orders stored and a few hundred thousand open lines.
     */
    static Mono<Map<String, Long>> availableInPostgres(DatabaseClient on, String warehouse) {
        Mono<Map<String, Long>> onHand = on.sql("SELECT sku, on_hand FROM stock_item WHERE warehouse = :warehouse")
                .bind("warehouse", warehouse)
                .map(row -> Map.entry(row.get("sku", String.class), row.get("on_hand", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        Mono<Map<String, Long>> reserved = on.sql("""
                        SELECT sku, sum(reserved) AS reserved FROM order_line
                        WHERE warehouse = :warehouse AND reserved > 0 GROUP BY sku""")
                .bind("warehouse", warehouse)
                .map(row -> Map.entry(row.get("sku", String.class), row.get("reserved", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        return onHand.zipWhen(stock -> reserved, StockRebuilder::available);
    }

    /** On-hand minus reserved, for every stocked SKU (a reservation of an SKU not stocked has nothing to come off). */
    private static Map<String, Long> available(Map<String, Long> onHand, Map<String, Long> reserved) {
        Map<String, Long> available = new HashMap<>(onHand.size() * 2);
        onHand.forEach((sku, units) -> available.put(sku, units - reserved.getOrDefault(sku, 0L)));
        return available;
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
