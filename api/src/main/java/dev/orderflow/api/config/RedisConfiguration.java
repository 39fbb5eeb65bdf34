package dev.orderflow.api.config;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lettuce, reactive, on one shared connection (Lettuce multiplexes; a pool would only add
 * hand-offs). A comma-separated {@code ORDERFLOW_REDIS_URL} means a Redis Cluster seed list.
 * Connections open here, at start-up: opened lazily, the first request would wait for the
 * connect on an event loop.
 */
@Configuration(proxyBeanMethods = false)
public class RedisConfiguration {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    @Bean(destroyMethod = "shutdown")
    ClientResources redisClientResources() {
        return DefaultClientResources.create();
    }

    @Bean(destroyMethod = "close")
    RedisConnections redisConnections(OrderflowProperties properties, ClientResources resources) {
        List<RedisURI> uris = Arrays.stream(properties.redis().url().split(","))
                .map(String::trim)
                .map(uri -> uri.contains("://") ? uri : "redis://" + uri)
                .map(RedisURI::create)
                .toList();
        return uris.size() > 1 ? cluster(resources, uris) : standalone(resources, uris.get(0));
    }

    @Bean
    RedisClusterReactiveCommands<String, String> redisCommands(RedisConnections connections) {
        return connections.commands();
    }

    private static RedisConnections standalone(ClientResources resources, RedisURI uri) {
        uri.setTimeout(COMMAND_TIMEOUT);
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        StatefulRedisConnection<String, String> connection = client.connect();
        StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
        return new RedisConnections(connection.reactive(), pubSub.reactive(), () -> {
            pubSub.close();
            connection.close();
            client.shutdown();
        });
    }

    private static RedisConnections cluster(ClientResources resources, List<RedisURI> seeds) {
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(ClusterClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .build())
                .build());
        StatefulRedisClusterConnection<String, String> connection = client.connect();
        var pubSub = client.connectPubSub();
        return new RedisConnections(connection.reactive(), pubSub.reactive(), () -> {
            pubSub.close();
            connection.close();
            client.shutdown();
        });
    }
}
