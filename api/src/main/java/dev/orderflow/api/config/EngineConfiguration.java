package dev.orderflow.api.config;

import dev.orderflow.orchestration.order.OrderLifecycle;
import dev.orderflow.orchestration.step.Downstream;
import dev.orderflow.orchestration.step.DownstreamClient;
import dev.orderflow.orchestration.step.StepEngine;
import dev.orderflow.orchestration.step.StepMetrics;
import dev.orderflow.orchestration.step.StepQueue;
import dev.orderflow.orchestration.step.Steps;
import io.github.resilience4j.micrometer.tagged.CircuitBreakerMetricNames;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.channel.ChannelOption;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** The step engine: its downstream client (with its own connection pool) and this instance's workers. */
@Configuration(proxyBeanMethods = false)
public class EngineConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EngineConfiguration.class);

    @Bean
    DownstreamClient downstreamClient(OrderflowProperties properties, DownstreamEndpoints endpoints) {
        ConnectionProvider pool = ConnectionProvider.builder("orderflow-downstream")
                .maxConnections(properties.engine().bulkhead() * Downstream.values().length)
                .pendingAcquireTimeout(Duration.ofSeconds(5))
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
                .responseTimeout(properties.engine().callTimeout());
        WebClient web = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
        Function<Downstream, URI> baseUrls = downstream -> switch (downstream) {
            case CREDIT -> endpoints.credit();
            case FULFILLMENT -> endpoints.fulfillment();
            case INVOICING -> endpoints.invoicing();
        };
        return new DownstreamClient(web, baseUrls, properties.engine().settings());
    }

    /**
     * Each downstream's circuit breaker as {@code orderflow_circuit_breaker_state{name,state}} (1 for
     * the state it is in), with its call and failure-rate meters, named by resilience4j-micrometer.
     */
    @Bean
    MeterBinder circuitBreakerMeters(DownstreamClient downstream) {
        return registry -> TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(CircuitBreakerMetricNames.custom()
                                .callsMetricName("orderflow.circuit.breaker.calls")
                                .notPermittedCallsMetricName("orderflow.circuit.breaker.not.permitted.calls")
                                .stateMetricName("orderflow.circuit.breaker.state")
                                .bufferedCallsMetricName("orderflow.circuit.breaker.buffered.calls")
                                .slowCallsMetricName("orderflow.circuit.breaker.slow.calls")
                                .failureRateMetricName("orderflow.circuit.breaker.failure.rate")
                                .slowCallRateMetricName("orderflow.circuit.breaker.slow.call.rate")
                                .build(),
                        downstream.breakerRegistry())
                .bindTo(registry);
    }

    @Bean
    StepEngine stepEngine(Steps steps, DownstreamClient downstream, OrderLifecycle lifecycle, StepQueue queue,
            TransactionalOperator tx, OrderflowProperties properties, Clock clock, MeterRegistry meters) {
        String owner = workerName();
        // lease_owner in the step table names this process: this line says which instance it is
        LOG.info("Step engine worker {}", owner);
        return new StepEngine(owner, steps, downstream, lifecycle, queue, tx, properties.engine().settings(), clock,
                new StepMetrics(meters));
    }

    @Bean
    SmartLifecycle stepEngineLifecycle(StepEngine engine, OrderflowProperties properties) {
        // at shutdown, steps in flight finish; those that cannot in time are given back to the other instances
        return BackgroundWork.drainingWorker(engine::start, engine::drain, properties);
    }

    /** Unique per process: host name and a random suffix, for leases and logs. */
    private static String workerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + dev.orderflow.orchestration.support.Ids.next().toString().substring(24);
    }
}
