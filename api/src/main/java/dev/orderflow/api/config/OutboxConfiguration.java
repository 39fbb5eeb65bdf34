package dev.orderflow.api.config;

import dev.orderflow.orchestration.outbox.OutboxFeed;
import dev.orderflow.orchestration.outbox.OutboxPoller;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** The outbox readers: the feed (history) and this instance's poller (what is new). */
@Configuration(proxyBeanMethods = false)
public class OutboxConfiguration {

    @Bean
    OutboxFeed outboxFeed(DatabaseClient db) {
        return new OutboxFeed(db);
    }

    @Bean
    OutboxPoller outboxPoller(OutboxFeed feed) {
        return new OutboxPoller(feed, Duration.ofMillis(100));
    }

    @Bean
    SmartLifecycle outboxPollerLifecycle(OutboxPoller poller) {
        return BackgroundWork.always(poller::start, poller::stop);
    }
}
