package dev.orderflow.api.config;

import dev.orderflow.orchestration.outbox.OutboxCursor;
import dev.orderflow.orchestration.outbox.OutboxFeed;
import dev.orderflow.orchestration.webhook.Deliveries;
import dev.orderflow.orchestration.webhook.SsrfGuard;
import dev.orderflow.orchestration.webhook.Subscriptions;
import dev.orderflow.orchestration.webhook.WebhookDispatcher;
import dev.orderflow.orchestration.webhook.WebhookFanOut;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Webhook delivery: subscriptions, the SSRF guard, and this instance's dispatcher (with its own connection pool). */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

    @Bean
    Subscriptions subscriptions(DatabaseClient db, Clock clock) {
        return new Subscriptions(db, clock);
    }

    @Bean
    Deliveries deliveries(DatabaseClient db, Clock clock) {
        return new Deliveries(db, clock);
    }

    @Bean
    SsrfGuard ssrfGuard(OrderflowProperties properties) {
        return new SsrfGuard(properties.webhooks().allowPrivate());
    }

    @Bean
    WebhookFanOut webhookFanOut(OutboxFeed feed, DatabaseClient db, Subscriptions subscriptions, Deliveries deliveries,
            TransactionalOperator tx) {
        return new WebhookFanOut(feed, new OutboxCursor(db, WebhookFanOut.CURSOR), subscriptions, deliveries, tx);
    }

    @Bean
    WebhookDispatcher webhookDispatcher(WebhookFanOut fanOut, Subscriptions subscriptions, Deliveries deliveries, SsrfGuard ssrf,
            Clock clock, MeterRegistry meters) {
        ConnectionProvider pool = ConnectionProvider.builder("orderflow-webhooks")
                .maxConnections(256)
                .pendingAcquireTimeout(Duration.ofSeconds(5))
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        HttpClient http = ssrf.guard(HttpClient.create(pool))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .responseTimeout(WebhookDispatcher.TIMEOUT)
                // partners' redirects are not followed: a signed request goes where it was subscribed to
                .followRedirect(false);
        WebClient web = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
        return new WebhookDispatcher(fanOut, deliveries, subscriptions, web, ssrf, clock, Duration.ofMillis(100), 128, 16, meters);
    }

    @Bean
    SmartLifecycle webhookDispatcherLifecycle(WebhookDispatcher dispatcher, OrderflowProperties properties) {
        // at shutdown, sends in flight are answered; those that cannot be in time are given back to the other instances
        return BackgroundWork.drainingWorker(dispatcher::start, dispatcher::drain, properties);
    }
}
