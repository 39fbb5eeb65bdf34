package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.stock.Reservations;
import dev.orderflow.orchestration.stock.StockLock;
import dev.orderflow.orchestration.support.Outages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The PostgreSQL half of intake: stores a batch of reserved orders of one warehouse with one call
 * (the warehouse lock, shared; the generation check; every table; see {@link IntakeInsert}), its
 * own transaction, and says per order what became of it.
 *
 * <p>A failure is never blamed on the whole batch if it need not be: an error one order could have
 * caused (a constraint, a value PostgreSQL refuses) makes each order try alone, so only that one
 * fails. When PostgreSQL itself failed mid-way, whether the commit landed is found out before anyone
 * is told "not stored", under the warehouse lock taken exclusively, which waits for the failed
 * transaction to have ended one way or the other.
 */
public class IntakeCommit {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeCommit.class);

    private final StockLock lock;
    private final Orders orders;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final IntakeMetrics metrics;

    public IntakeCommit(StockLock lock, Orders orders, TransactionalOperator tx, Clock clock, IntakeMetrics metrics) {
        this.lock = lock;
        this.orders = orders;
        this.tx = tx;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** What became of one order of the batch. */
    sealed interface Outcome {
        /** Whether its reservation must be given back. */
        boolean releases();

        /** Committed. */
        record Stored() implements Outcome {
            @Override
            public boolean releases() {
                return false;
            }
        }

        /** Not stored: its idempotency key or external reference is taken (see {@link InsertOutcome}). */
        record Refused(InsertOutcome outcome) implements Outcome {
            @Override
            public boolean releases() {
                return true;
            }
        }

        /** Not stored: Redis was reloaded after the reservation was made (or it is too old to commit). */
        record Stale() implements Outcome {
            @Override
            public boolean releases() {
                return true;
            }
        }

        /**
         * Not stored, for {@code answer}; or perhaps stored, when PostgreSQL could not be asked: then
         * the reservation stays for the sweeper, which confirms or releases it once PostgreSQL answers.
         */
        record NotStored(RuntimeException answer, boolean mayBeStored) implements Outcome {
            @Override
            public boolean releases() {
                return !mayBeStored;
            }
        }
    }

    /**
     * Stores the orders, reserved against {@code generation} at {@code reservedAt}, with one call that
     * is its own transaction; one outcome per order, in order.
     */
    Mono<List<Outcome>> store(String warehouse, List<PreparedOrder> batch, long generation, Instant reservedAt) {
        return storeAlone(warehouse, batch, generation, reservedAt)
                .onErrorResume(error -> batch.size() > 1 && !Outages.isOutage(error),
                        error -> storeEachAlone(warehouse, batch, generation, reservedAt, error))
                .onErrorResume(error -> afterFailure(warehouse, batch, error));
    }

    /**
     * Stores the orders and {@code alongside} in one transaction, all or nothing: unlike {@link #store}
     * a failure is not narrowed down to one order, since storing the others alone would split them.
     * When it is stale, nothing is stored, {@code alongside} neither.
     */
    Mono<List<Outcome>> storeTogether(String warehouse, List<PreparedOrder> batch, long generation, Instant reservedAt,
            Mono<Void> alongside) {
        return withinCommitWindow(batch, reservedAt, waitBudget -> orders.insert(warehouse, generation, waitBudget, batch)
                        .flatMap(inserted -> alongside.thenReturn(outcomes(inserted)))
                        .as(tx::transactional))
                .onErrorResume(error -> afterFailure(warehouse, batch, error));
    }

    private Mono<List<Outcome>> storeAlone(String warehouse, List<PreparedOrder> batch, long generation, Instant reservedAt) {
        return withinCommitWindow(batch, reservedAt, waitBudget -> orders.insert(warehouse, generation, waitBudget, batch)
                .map(IntakeCommit::outcomes));
    }

    /**
     * Runs {@code insert} with what is left of the batch's commit window, as the most it may wait for
     * the stock lock; stale if nothing is left or if the insert answers nothing. Past the commit
     * window the sweeper may already be releasing these reservations: they must not be committed.
     */
    private Mono<List<Outcome>> withinCommitWindow(List<PreparedOrder> batch, Instant reservedAt,
            Function<Duration, Mono<List<Outcome>>> insert) {
        List<Outcome> stale = Collections.nCopies(batch.size(), new Outcome.Stale());
        Duration waitBudget = Duration.between(clock.instant(), reservedAt.plus(Reservations.COMMIT_WINDOW));
        if (waitBudget.isNegative() || waitBudget.isZero()) {
            return Mono.just(stale);
        }
        long started = System.nanoTime();
        return insert.apply(waitBudget)
                .defaultIfEmpty(stale)
                .doOnSuccess(outcomes -> metrics.committed(System.nanoTime() - started));
    }

    private static List<Outcome> outcomes(List<InsertOutcome> inserted) {
        return inserted.stream()
                .map(outcome -> outcome instanceof InsertOutcome.Inserted ? (Outcome) new Outcome.Stored() : new Outcome.Refused(outcome))
                .toList();
    }

    private Mono<List<Outcome>> storeEachAlone(String warehouse, List<PreparedOrder> batch, long generation, Instant reservedAt,
            Throwable error) {
        LOG.warn("A batch of {} orders at {} failed ({}); storing each alone", batch.size(), warehouse,
                NestedExceptionUtils.getMostSpecificCause(error).getMessage());
        return Flux.fromIterable(batch)
                .concatMap(order -> store(warehouse, List.of(order), generation, reservedAt))
                .flatMapIterable(outcomes -> outcomes)
                .collectList();
    }

    private Mono<List<Outcome>> afterFailure(String warehouse, List<PreparedOrder> batch, Throwable error) {
        if (!Outages.isOutage(error)) {
            // the order itself was refused by PostgreSQL: the transaction rolled back
            LOG.error("Order {} could not be stored", batch.get(0).draft().id(), error);
            RuntimeException answer = error instanceof RuntimeException runtime ? runtime : new IllegalStateException(error);
            return Mono.just(Collections.nCopies(batch.size(), (Outcome) new Outcome.NotStored(answer, false)));
        }
        LOG.warn("{} orders at {} may not have been stored ({}); finding out", batch.size(), warehouse,
                NestedExceptionUtils.getMostSpecificCause(error).getMessage());
        List<UUID> ids = batch.stream().map(order -> order.draft().id()).toList();
        return lock.exclusive(warehouse)
                .then(orders.existing(ids))
                .as(tx::transactional)
                .map(stored -> ids.stream().map(id -> stored.contains(id) ? new Outcome.Stored() : notStored()).toList())
                .onErrorResume(unknown -> Mono.just(Collections.nCopies(batch.size(), (Outcome) new Outcome.NotStored(
                        OrderExceptions.outcomeUnknown(), true))));
    }

    private static Outcome notStored() {
        return new Outcome.NotStored(OrderExceptions.stockUnavailable("The order could not be stored."), false);
    }
}
