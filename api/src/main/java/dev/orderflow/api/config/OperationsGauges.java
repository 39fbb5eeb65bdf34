package dev.orderflow.api.config;

import dev.orderflow.orchestration.order.OpenOrders;
import dev.orderflow.orchestration.step.Steps;
import dev.orderflow.orchestration.webhook.Deliveries;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Gauges of the work waiting in PostgreSQL, refreshed on a timer (a few cheap queries over partial
 * indexes; never a query per request):
 * <ul>
 * <li>{@code orderflow_orders_open{channel,status}}: orders in each status that is not final;</li>
 * <li>{@code orderflow_webhook_backlog} and {@code orderflow_webhook_oldest_pending_seconds}: webhook
 * deliveries not yet delivered (waiting or retrying), and how long the oldest has waited;</li>
 * <li>{@code orderflow_steps_due} and {@code orderflow_steps_oldest_due_seconds}: steps due and not
 * yet claimed, and how late the most overdue one is.</li>
 * </ul>
 * Every instance reports the same figures (they are the database's): aggregate with {@code max}, not {@code sum}.
 */
public class OperationsGauges {

    private static final Logger LOG = LoggerFactory.getLogger(OperationsGauges.class);

    private final OpenOrders openOrders;
    private final Deliveries deliveries;
    private final Steps steps;
    private final MeterRegistry registry;
    /**
     * One gauge per (channel, status) ever seen, registered once and then only set: a status that
     * empties shows 0. (Replacing gauges on each refresh races the scrape, which then sees one
     * series twice and fails.)
     */
    private final Map<List<String>, AtomicLong> ordersOpen = new ConcurrentHashMap<>();
    private final AtomicLong webhookBacklog = new AtomicLong();
    private final AtomicLong webhookOldestMillis = new AtomicLong();
    private final AtomicLong stepsDue = new AtomicLong();
    private final AtomicLong stepsOldestDueMillis = new AtomicLong();

    public OperationsGauges(OpenOrders openOrders, Deliveries deliveries, Steps steps, MeterRegistry registry) {
        this.openOrders = openOrders;
        this.deliveries = deliveries;
        this.steps = steps;
        this.registry = registry;
        Gauge.builder("orderflow.webhook.backlog", webhookBacklog, AtomicLong::get)
                .description("Webhook deliveries not yet delivered (due or waiting for a retry)")
                .register(registry);
        TimeGauge.builder("orderflow.webhook.oldest.pending", webhookOldestMillis, TimeUnit.MILLISECONDS, AtomicLong::get)
                .description("How long the oldest undelivered webhook delivery has waited")
                .register(registry);
        Gauge.builder("orderflow.steps.due", stepsDue, AtomicLong::get)
                .description("Steps due and not yet claimed by any worker")
                .register(registry);
        TimeGauge.builder("orderflow.steps.oldest.due", stepsOldestDueMillis, TimeUnit.MILLISECONDS, AtomicLong::get)
                .description("How late the most overdue unclaimed step is")
                .register(registry);
    }

    /** Refreshes every gauge at {@code interval}, one refresh at a time, until disposed. */
    public reactor.core.Disposable every(Duration interval) {
        return Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .concatMap(tick -> refresh()
                        .onErrorResume(error -> {
                            // PostgreSQL away: the gauges keep their last figures until it is back
                            LOG.warn("Could not refresh the backlog gauges", error);
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    /** One refresh of every gauge. */
    public Mono<Void> refresh() {
        return Mono.when(refreshOrders(), refreshWebhooks(), refreshSteps());
    }

    private Mono<Void> refreshOrders() {
        return openOrders.count()
                .collectMap(count -> List.of(count.channel(), count.status()), OpenOrders.Count::orders)
                .doOnNext(this::setOrdersOpen)
                .then();
    }

    private void setOrdersOpen(Map<List<String>, Long> counts) {
        counts.keySet().forEach(this::ordersOpenGauge);
        ordersOpen.forEach((key, value) -> value.set(counts.getOrDefault(key, 0L)));
    }

    private AtomicLong ordersOpenGauge(List<String> channelAndStatus) {
        return ordersOpen.computeIfAbsent(channelAndStatus, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("orderflow.orders.open", value, AtomicLong::get)
                    .description("Orders in each status that is not final, per channel")
                    .tag("channel", key.get(0))
                    .tag("status", key.get(1))
                    .register(registry);
            return value;
        });
    }

    private Mono<Void> refreshWebhooks() {
        return deliveries.backlog()
                .doOnNext(backlog -> {
                    webhookBacklog.set(backlog.pending());
                    webhookOldestMillis.set(backlog.oldestAge().toMillis());
                })
                .then();
    }

    private Mono<Void> refreshSteps() {
        return steps.due()
                .doOnNext(due -> {
                    stepsDue.set(due.count());
                    stepsOldestDueMillis.set(due.oldestLate().toMillis());
                })
                .then();
    }
}
