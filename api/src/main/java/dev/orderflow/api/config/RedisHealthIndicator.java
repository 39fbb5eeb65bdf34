package dev.orderflow.api.config;

import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Redis in {@code /actuator/health}: a PING over the connection the service really uses. */
@Component("redis")
class RedisHealthIndicator extends AbstractReactiveHealthIndicator {

    private final RedisClusterReactiveCommands<String, String> redis;

    RedisHealthIndicator(RedisClusterReactiveCommands<String, String> redis) {
        super("Redis health check failed");
        this.redis = redis;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return redis.ping().map(pong -> builder.up().withDetail("ping", pong).build());
    }
}
