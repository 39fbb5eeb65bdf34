package dev.orderflow.api.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The live event stream's settings.
 *
 * @param heartbeat how often an idle stream sends a comment, so that proxies keep it open (default 15s)
 * @param buffer    how many new events one stream may hold for a client that reads slowly; one more
 *                  and the stream ends, and the client resumes with {@code Last-Event-ID} (default 1000)
 */
@ConfigurationProperties("orderflow.events")
public record EventStreamSettings(@DefaultValue("15s") Duration heartbeat, @DefaultValue("1000") int buffer) {

    public EventStreamSettings {
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("orderflow.events.heartbeat must be positive");
        }
        if (buffer < 1) {
            throw new IllegalArgumentException("orderflow.events.buffer must be at least 1");
        }
    }
}
