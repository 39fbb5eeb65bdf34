package dev.orderflow.api.config;

import dev.orderflow.orchestration.order.OrderLifecycle;
import dev.orderflow.orchestration.step.Downstream;
import dev.orderflow.orchestration.step.DownstreamClient;
import dev.orderflow.orchestration.step.StepEngine;
import dev.orderflow.orchestration.step.StepQueue;
import dev.orderflow.orchestration.step.Steps;
import io.netty.channel.ChannelOption;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
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

    @Bean
    StepEngine stepEngine(Steps steps, DownstreamClient downstream, OrderLifecycle lifecycle, StepQueue queue,
            TransactionalOperator tx, OrderflowProperties properties, Clock clock) {
        return new StepEngine(workerName(), steps, downstream, lifecycle, queue, tx, properties.engine().settings(), clock);
    }

    @Bean
    SmartLifecycle stepEngineLifecycle(StepEngine engine, OrderflowProperties properties) {
        // in-flight steps keep their lease at stop; another instance (or this one after restart) finishes them
        return BackgroundWork.worker(engine::start, engine::stop, properties);
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
