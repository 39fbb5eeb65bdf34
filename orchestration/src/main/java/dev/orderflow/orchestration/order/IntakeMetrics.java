package dev.orderflow.orchestration.order;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * What intake reports: batch sizes, how long a batch's reservation (one Redis call) and commit (one
 * transaction) take, orders accepted per channel and status, and how many wait for a batch. Their
 * histogram buckets are the application's to choose (a few fixed ones keep the scrape small).
 */
public class IntakeMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer reservation;
    private final Timer commit;
    private final Map<String, Counter> accepted = new ConcurrentHashMap<>();

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchSize = DistributionSummary.builder("orderflow.intake.batch.size")
                .description("Orders per intake batch (one Redis call and one transaction each)")
                .register(registry);
        this.reservation = Timer.builder("orderflow.reservation")
                .description("One batch's reservation in Redis")
                .register(registry);
        this.commit = Timer.builder("orderflow.commit")
                .description("One batch's commit in PostgreSQL")
                .register(registry);
    }

    void batchStarted(int size) {
        batchSize.record(size);
    }

    void reserved(long nanos) {
        reservation.record(nanos, TimeUnit.NANOSECONDS);
    }

    void committed(long nanos) {
        commit.record(nanos, TimeUnit.NANOSECONDS);
    }

    void accepted(String channel, OrderStatus status) {
        accepted.computeIfAbsent(channel + '\n' + status, key -> Counter.builder("orderflow.orders.accepted")
                        .description("Orders stored by intake, by channel and first status")
                        .tag("channel", channel)
                        .tag("status", status.name())
                        .register(registry))
                .increment();
    }

    void watchQueue(IntSupplier queued) {
        Gauge.builder("orderflow.intake.queued", queued::getAsInt)
                .description("Orders waiting for an intake batch")
                .register(registry);
    }
}
