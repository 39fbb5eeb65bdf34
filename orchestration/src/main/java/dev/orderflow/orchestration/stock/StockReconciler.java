package dev.orderflow.orchestration.stock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Compares Redis with PostgreSQL per SKU: Redis available plus what uncommitted pending
 * reservations hold must equal on-hand minus open reservations. Reports the difference as
 * {@code orderflow_stock_drift_units} per warehouse; drift seen twice in a row is repaired by a
 * rebuild (once is not enough to act on: a crash between commit and a Redis update shows as drift
 * until the next check).
 */
public class StockReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(StockReconciler.class);

    private final TransactionalOperator tx;
    private final StockLock lock;
    private final Reservations reservations;
    private final StockRebuilder rebuilder;
    private final ReservationSweeper sweeper;
    private final MeterRegistry meters;
    private final Map<String, AtomicLong> driftByWarehouse = new ConcurrentHashMap<>();

    public StockReconciler(TransactionalOperator tx, StockLock lock, Reservations reservations,
            StockRebuilder rebuilder, ReservationSweeper sweeper, MeterRegistry meters) {
        this.tx = tx;
        this.lock = lock;
        this.reservations = reservations;
        this.rebuilder = rebuilder;
        this.sweeper = sweeper;
        this.meters = meters;
    }

    /** Checks every loaded warehouse, repairing persistent drift; answers total drift found (units). */
    public Mono<Long> reconcileAll() {
        return sweeper.loadedWarehouses()
                .concatMap(this::reconcile)
                .reduce(0L, Long::sum);
    }

    /**
     * Checks one warehouse; answers the drift in units (sum over SKUs of the absolute difference).
     * Redis at another generation than PostgreSQL is repaired at once (see {@link #strayGeneration}).
     */
    public Mono<Long> reconcile(String warehouse) {
        return strayGeneration(warehouse)
                .flatMap(stray -> repair(warehouse, stray))
                .switchIfEmpty(Mono.defer(() -> reconcileUnits(warehouse)));
    }

    /**
     * Redis's generation when it is not PostgreSQL's, checked under the lock so that no rebuild is
     * half way. It happens when a rebuild's write to Redis was only slow: the rebuild timed out and
     * rolled back, and its write landed later. Every order reserved there is then refused as stale
     * and retried in vain, and no unit drift shows (the units are not compared across generations),
     * so waiting for drift to be seen twice would wait forever.
     */
    private Mono<StrayGeneration> strayGeneration(String warehouse) {
        return lock.exclusive(warehouse)
                .flatMap(generation -> reservations.generation(warehouse)
                        .filter(inRedis -> !inRedis.equals(generation))
                        .map(inRedis -> new StrayGeneration(inRedis, generation)))
                .as(tx::transactional);
    }

    private Mono<Long> repair(String warehouse, StrayGeneration stray) {
        LOG.warn("Redis holds stock generation {} at {} but PostgreSQL is at {}: rebuilding Redis from PostgreSQL",
                stray.inRedis(), warehouse, stray.inPostgres());
        // units are not measured across generations: the rebuild makes them right whatever they were
        return rebuilder.rebuild(warehouse, true).thenReturn(0L);
    }

    private Mono<Long> reconcileUnits(String warehouse) {
        return driftBySku(warehouse)
                .flatMap(bySku -> {
                    long drift = total(bySku);
                    long previous = gauge(warehouse).getAndSet(drift);
                    if (drift > 0 && previous > 0) {
                        // per SKU, so an operator can tell a lost Redis update from a ledger problem
                        LOG.warn("Stock drift of {} units at {} seen twice: rebuilding Redis from PostgreSQL; Redis minus PostgreSQL by SKU: {}",
                                drift, warehouse, new java.util.TreeMap<>(bySku));
                        return rebuilder.rebuild(warehouse, true).thenReturn(drift);
                    }
                    return Mono.just(drift);
                });
    }

    /** Drift per SKU right now, measured under the warehouse lock so no commit is half way. */
    public Mono<Map<String, Long>> driftBySku(String warehouse) {
        return lock.exclusive(warehouse)
                .flatMap(generation -> reservations.generation(warehouse)
                        // by value: both are boxed, and == holds only up to generation 127 (the Long cache)
                        .flatMap(inRedis -> inRedis.equals(generation) ? compare(warehouse) : Mono.just(Map.<String, Long>of()))
                        // Redis not loaded: nothing to compare; the next order loads it
                        .defaultIfEmpty(Map.of()))
                .as(tx::transactional);
    }

    private record StrayGeneration(long inRedis, long inPostgres) {
    }

    private static long total(Map<String, Long> bySku) {
        return bySku.values().stream().mapToLong(Math::abs).sum();
    }

    private Mono<Map<String, Long>> compare(String warehouse) {
        Mono<Map<String, Long>> truth = rebuilder.availableInPostgres(warehouse);
        Mono<Map<String, Long>> redis = reservations.available(warehouse);
        Mono<Map<String, Long>> uncommitted = uncommittedPending(warehouse);
        return Mono.zip(truth, redis, uncommitted).map(all -> {
            Map<String, Long> drift = new HashMap<>();
            Set<String> skus = new HashSet<>(all.getT1().keySet());
            skus.addAll(all.getT2().keySet());
            for (String sku : skus) {
                long expected = all.getT1().getOrDefault(sku, 0L);
                long actual = all.getT2().getOrDefault(sku, 0L) + all.getT3().getOrDefault(sku, 0L);
                if (expected != actual) {
                    drift.put(sku, actual - expected);
                }
            }
            return drift;
        });
    }

    /** Units held in Redis by reservations whose orders are not (yet) in PostgreSQL. */
    private Mono<Map<String, Long>> uncommittedPending(String warehouse) {
        return reservations.pending(warehouse)
                .flatMap(pending -> sweeper.committed(pending).map(committed -> {
                    Set<UUID> open = new HashSet<>(pending);
                    open.removeAll(committed);
                    return open;
                }))
                .flatMap(open -> reservations.pendingUnits(warehouse, open));
    }

    private AtomicLong gauge(String warehouse) {
        return driftByWarehouse.computeIfAbsent(warehouse, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("orderflow.stock.drift.units", value, AtomicLong::get)
                    .description("Units by which Redis differs from PostgreSQL, summed over SKUs")
                    .tag("warehouse", warehouse)
                    .register(meters);
            return value;
        });
    }
}
