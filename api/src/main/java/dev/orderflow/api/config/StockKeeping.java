package dev.orderflow.api.config;

import dev.orderflow.orchestration.order.IdempotencyRecords;
import dev.orderflow.orchestration.stock.ReservationSweeper;
import dev.orderflow.orchestration.stock.StockReconciler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The background jobs that keep stock honest, in every instance (each takes the warehouse lock, so
 * instances never collide): the sweeper settles abandoned reservations, the reconciler measures
 * and repairs Redis drift, and expired idempotency records are purged.
 */
public class StockKeeping implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(StockKeeping.class);

    private final ReservationSweeper sweeper;
    private final StockReconciler reconciler;
    private final IdempotencyRecords idempotency;
    private final OrderflowProperties.StockKeeping settings;
    private Disposable.Composite jobs;

    public StockKeeping(ReservationSweeper sweeper, StockReconciler reconciler, IdempotencyRecords idempotency,
            OrderflowProperties.StockKeeping settings) {
        this.sweeper = sweeper;
        this.reconciler = reconciler;
        this.idempotency = idempotency;
        this.settings = settings;
    }

    @Override
    public void start() {
        jobs = Disposables.composite(
                every(settings.sweepInterval(), "reservation sweep", sweeper::sweepAll),
                every(settings.reconcileInterval(), "stock reconciliation", reconciler::reconcileAll),
                every(Duration.ofHours(1), "idempotency purge", idempotency::purgeExpired));
    }

    /** Runs a job at a fixed interval, one run at a time; a failed run is logged and the next one tries again. */
    private static Disposable every(Duration interval, String name, java.util.function.Supplier<Mono<Long>> job) {
        return Flux.interval(interval, interval)
                .onBackpressureDrop()
                .concatMap(tick -> job.get()
                        .onErrorResume(error -> {
                            // PostgreSQL or Redis away: nothing to settle until they are back
                            LOG.warn("{} failed; retrying in {}", name, interval, error);
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        if (jobs != null) {
            jobs.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return jobs != null && !jobs.isDisposed();
    }
}
