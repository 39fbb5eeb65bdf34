package dev.orderflow.orchestration.stock;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Settles reservations left pending past their deadline: those whose order (or backorder fill) is
 * in PostgreSQL are confirmed, the rest are released. Holds the warehouse lock exclusively while
 * deciding, and an order gives up committing long before the deadline (see
 * {@link Reservations#COMMIT_WINDOW}), so nothing commits after being released.
 */
public class ReservationSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(ReservationSweeper.class);
    private static final int BATCH = 500;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final StockLock lock;
    private final Reservations reservations;

    public ReservationSweeper(DatabaseClient db, TransactionalOperator tx, StockLock lock, Reservations reservations) {
        this.db = db;
        this.tx = tx;
        this.lock = lock;
        this.reservations = reservations;
    }

    /** Sweeps every loaded warehouse; answers how many reservations were released. */
    public Mono<Long> sweepAll() {
        return loadedWarehouses()
                .concatMap(this::sweep)
                .reduce(0L, Long::sum);
    }

    /** Answers how many reservations were released. */
    public Mono<Long> sweep(String warehouse) {
        return reservations.overdue(warehouse, BATCH)
                .filter(overdue -> !overdue.isEmpty())
                .flatMap(overdue -> settle(warehouse, overdue))
                .defaultIfEmpty(0L);
    }

    private Mono<Long> settle(String warehouse, List<UUID> overdue) {
        return lock.exclusive(warehouse)
                .then(committed(overdue))
                .flatMap(committed -> {
                    Set<UUID> abandoned = new HashSet<>(overdue);
                    abandoned.removeAll(committed);
                    return reservations.confirm(warehouse, committed)
                            .then(reservations.release(warehouse, abandoned))
                            .doOnNext(released -> {
                                if (released > 0) {
                                    LOG.info("Released {} abandoned reservations at {}", released, warehouse);
                                }
                            });
                })
                .as(tx::transactional);
    }

    /** Reservations that made it into PostgreSQL: an order, or a backorder fill's ledger rows. */
    Mono<Set<UUID>> committed(Collection<UUID> ids) {
        return committed(db, ids);
    }

    /** The same, read through {@code on} (a transaction with a snapshot of its own). */
    static Mono<Set<UUID>> committed(DatabaseClient on, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Mono.just(Set.of());
        }
        return on.sql("SELECT id FROM orders WHERE id = ANY(:ids)"
                        + " UNION SELECT reservation_id FROM reservation_movement WHERE reservation_id = ANY(:ids)")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(row -> row.get(0, UUID.class))
                .all()
                .collect(Collectors.toSet());
    }

    Flux<String> loadedWarehouses() {
        return db.sql("SELECT warehouse FROM stock_generation ORDER BY warehouse")
                .map(row -> row.get(0, String.class))
                .all();
    }
}
