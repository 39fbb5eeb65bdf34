package dev.orderflow.orchestration.stock;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Changes of on-hand: counts, receipts, adjustments. Each writes the stock ledger and updates
 * Redis's "available" while holding the warehouse lock exclusively, so the change and any rebuild
 * or order commit are strictly ordered, and a decrease never takes available below zero.
 *
 * <p>Redis may lag PostgreSQL but never lead it: a decrease is taken from Redis before the commit
 * (so a shortfall refuses it), an increase is given to Redis only after the commit. A failed or
 * unknown commit then leaves Redis with fewer units than the truth, never more; the reconciler
 * repairs the lag.
 */
public class Inventory {

    private static final Logger LOG = LoggerFactory.getLogger(Inventory.class);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final StockLock lock;
    private final Reservations reservations;
    private final Clock clock;

    public Inventory(DatabaseClient db, TransactionalOperator tx, StockLock lock, Reservations reservations, Clock clock) {
        this.db = db;
        this.tx = tx;
        this.lock = lock;
        this.reservations = reservations;
        this.clock = clock;
    }

    /** Applies changes of one warehouse in one transaction, in order; all or none. */
    public Mono<List<StockLevel>> apply(String warehouse, List<StockChange> changes) {
        return apply(warehouse, changes, Mono.empty());
    }

    /**
     * Applies changes as {@link #apply(String, List)} does, and runs {@code alsoInTransaction} (an
     * audit entry) in the same transaction: if it fails, the changes are undone too.
     */
    public Mono<List<StockLevel>> apply(String warehouse, List<StockChange> changes, Mono<Void> alsoInTransaction) {
        return Mono.defer(() -> applyAll(warehouse, changes, alsoInTransaction));
    }

    private Mono<List<StockLevel>> applyAll(String warehouse, List<StockChange> changes, Mono<Void> alsoInTransaction) {
        List<Undo> appliedInRedis = new CopyOnWriteArrayList<>();
        List<Undo> increases = new CopyOnWriteArrayList<>();
        return lock.exclusive(warehouse)
                .flatMapMany(generation -> Flux.fromIterable(changes)
                        .concatMap(change -> applyOne(change, generation, appliedInRedis, increases)))
                .collectList()
                .flatMap(levels -> alsoInTransaction.thenReturn(levels))
                .as(tx::transactional)
                .onErrorResume(error -> undo(appliedInRedis).then(Mono.error(error)))
                .flatMap(levels -> increaseAfterCommit(increases).thenReturn(levels));
    }

    /**
     * Gives Redis the units the committed transaction added. Fenced by the generation the change was
     * made under: a rebuild since then has read them from PostgreSQL already and refuses these.
     */
    private Mono<Void> increaseAfterCommit(List<Undo> increases) {
        return Flux.fromIterable(increases)
                .concatMap(increase -> reservations.adjust(increase.warehouse(), increase.generation(), increase.sku(), increase.delta(), false))
                .then()
                .onErrorResume(error -> {
                    // committed: the change stands; Redis lags by these units until the reconciler rebuilds it
                    LOG.warn("Stock change committed but Redis not increased ({}); the reconciler will repair it", error.toString());
                    return Mono.empty();
                });
    }

    /** The transaction did not commit: take back what Redis was already told (the reconciler catches a failure here). */
    private Mono<Void> undo(List<Undo> appliedInRedis) {
        return Flux.fromIterable(appliedInRedis)
                .concatMap(applied -> reservations.adjust(applied.warehouse(), applied.generation(), applied.sku(), -applied.delta(), false))
                .then();
    }

    /** Which of these SKUs the warehouse stocks (has ever been counted or received at). */
    public Mono<java.util.Set<String>> known(String warehouse, java.util.Collection<String> skus) {
        if (skus.isEmpty()) {
            return Mono.just(java.util.Set.of());
        }
        return db.sql("SELECT sku FROM stock_item WHERE warehouse = :warehouse AND sku = ANY(:skus)")
                .bind("warehouse", warehouse)
                .bind("skus", skus.toArray(String[]::new))
                .map(row -> row.get(0, String.class))
                .all()
                .collect(java.util.stream.Collectors.toSet());
    }

    /** PostgreSQL's view: on-hand, reserved by open orders, and the difference. */
    public Flux<StockLevel> levels(List<String> skus, String warehouse) {
        String sql = """
                SELECT s.warehouse, s.sku, s.on_hand,
                       coalesce((SELECT sum(l.reserved) FROM order_line l
                                 WHERE l.warehouse = s.warehouse AND l.sku = s.sku AND l.reserved > 0), 0) AS reserved
                FROM stock_item s
                WHERE s.sku = ANY(:skus)""" + (warehouse == null ? "" : " AND s.warehouse = :warehouse") + " ORDER BY s.sku, s.warehouse";
        DatabaseClient.GenericExecuteSpec query = db.sql(sql).bind("skus", skus.toArray(String[]::new));
        if (warehouse != null) {
            query = query.bind("warehouse", warehouse);
        }
        return query.map(row -> level(row.get("warehouse", String.class), row.get("sku", String.class),
                        row.get("on_hand", Long.class), ((Number) row.get("reserved")).longValue()))
                .all();
    }

    private Mono<StockLevel> applyOne(StockChange change, long generation, List<Undo> appliedInRedis, List<Undo> increases) {
        return current(change)
                .flatMap(current -> {
                    long onHand = change.newOnHand(current.onHand());
                    if (onHand < current.reserved()) {
                        return Mono.error(new InsufficientStockException(change.warehouse(), change.sku(), onHand, current.reserved()));
                    }
                    long delta = onHand - current.onHand();
                    StockLevel level = level(change.warehouse(), change.sku(), onHand, current.reserved());
                    if (delta > 0 && generation != 0) {
                        return write(change, onHand, delta, current.exists())
                                .doOnSuccess(done -> increases.add(new Undo(change.warehouse(), generation, change.sku(), delta)))
                                .thenReturn(level);
                    }
                    return write(change, onHand, delta, current.exists())
                            .then(applyToRedis(change, generation, current.onHand(), onHand))
                            .doOnSuccess(done -> appliedInRedis.add(new Undo(change.warehouse(), generation, change.sku(), delta)))
                            .thenReturn(level);
                });
    }

    private Mono<Current> current(StockChange change) {
        return db.sql("""
                        SELECT s.on_hand,
                               coalesce((SELECT sum(l.reserved) FROM order_line l
                                         WHERE l.warehouse = s.warehouse AND l.sku = s.sku AND l.reserved > 0), 0) AS reserved
                        FROM stock_item s WHERE s.warehouse = :warehouse AND s.sku = :sku FOR UPDATE""")
                .bind("warehouse", change.warehouse())
                .bind("sku", change.sku())
                .map(row -> new Current(true, row.get("on_hand", Long.class), ((Number) row.get("reserved")).longValue()))
                .one()
                .switchIfEmpty(Mono.defer(() -> change.kind() == MovementKind.COUNT
                        ? Mono.just(new Current(false, 0, 0))
                        : Mono.error(new UnknownStockItemException(change.warehouse(), change.sku()))));
    }

    private Mono<Void> write(StockChange change, long onHand, long delta, boolean exists) {
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        String upsert = exists
                ? "UPDATE stock_item SET on_hand = :onHand, updated_at = :now WHERE warehouse = :warehouse AND sku = :sku"
                : "INSERT INTO stock_item (warehouse, sku, on_hand, updated_at) VALUES (:warehouse, :sku, :onHand, :now)";
        Mono<Void> item = db.sql(upsert)
                .bind("warehouse", change.warehouse()).bind("sku", change.sku())
                .bind("onHand", onHand).bind("now", now)
                .then();
        DatabaseClient.GenericExecuteSpec movement = db.sql("""
                        INSERT INTO stock_movement (warehouse, sku, kind, quantity, on_hand_after, reason, reference, actor, created_at)
                        VALUES (:warehouse, :sku, :kind, :quantity, :onHand, :reason, :reference, :actor, :now)""")
                .bind("warehouse", change.warehouse()).bind("sku", change.sku())
                .bind("kind", change.kind().name()).bind("quantity", delta).bind("onHand", onHand)
                .bind("actor", change.actor()).bind("now", now);
        movement = bindNullable(movement, "reason", change.reason());
        movement = bindNullable(movement, "reference", change.reference());
        return item.then(movement.then());
    }

    /**
     * With the lock held, Redis either is at {@code generation} (apply) or is not loaded (skip: the
     * rebuild that loads it reads this change from PostgreSQL).
     */
    private Mono<Void> applyToRedis(StockChange change, long generation, long currentOnHand, long onHand) {
        long delta = onHand - currentOnHand;
        if (generation == 0 || delta == 0) {
            return Mono.empty();
        }
        // Redis also counts reservations not committed yet, so it can refuse what PostgreSQL allowed
        return reservations.adjust(change.warehouse(), generation, change.sku(), delta, delta < 0)
                .flatMap(outcome -> outcome instanceof Reservations.Adjustment.Short shortfall
                        ? Mono.error(new InsufficientStockException(change.warehouse(), change.sku(), onHand,
                                currentOnHand - shortfall.available()))
                        : Mono.empty());
    }

    private static DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }

    private static StockLevel level(String warehouse, String sku, long onHand, long reserved) {
        return new StockLevel(warehouse, sku, onHand, reserved, onHand - reserved);
    }

    private record Current(boolean exists, long onHand, long reserved) {
    }

    private record Undo(String warehouse, long generation, String sku, long delta) {
    }
}
