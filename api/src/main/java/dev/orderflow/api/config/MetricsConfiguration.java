package dev.orderflow.api.config;

import dev.orderflow.orchestration.order.OpenOrders;
import dev.orderflow.orchestration.step.Steps;
import dev.orderflow.orchestration.webhook.Deliveries;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;

/** The gauges read from PostgreSQL on a timer (see {@link OperationsGauges}). */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    @Bean
    OperationsGauges operationsGauges(DatabaseClient db, Deliveries deliveries, Steps steps, MeterRegistry meters) {
        return new OperationsGauges(new OpenOrders(db), deliveries, steps, meters);
    }

    @Bean
    SmartLifecycle operationsGaugesRefresh(OperationsGauges gauges, OrderflowProperties properties) {
        AtomicReference<Disposable> refreshing = new AtomicReference<>();
        return BackgroundWork.always(() -> refreshing.set(gauges.every(properties.metrics().refreshInterval())),
                () -> Optional.ofNullable(refreshing.get()).ifPresent(Disposable::dispose));
    }
}
