package dev.orderflow.api.events;

import dev.orderflow.orchestration.outbox.OutboxFeed;
import dev.orderflow.orchestration.outbox.OutboxPoller;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The live event streams, fed by this instance's outbox poller. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventStreamSettings.class)
class EventStreamConfiguration {

    @Bean
    EventStreams eventStreams(OutboxFeed feed, OutboxPoller poller, EventStreamSettings settings, JsonMapper json) {
        return new EventStreams(feed, poller::events, poller::position, poller.ready(), settings, json);
    }
}
