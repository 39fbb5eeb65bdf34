package dev.orderflow.api.config;

import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.pubsub.api.reactive.RedisPubSubReactiveCommands;

/** The open Redis connections: commands (standalone or cluster alike) and publish/subscribe. */
public record RedisConnections(
        RedisClusterReactiveCommands<String, String> commands,
        RedisPubSubReactiveCommands<String, String> pubSub,
        AutoCloseable closer) implements AutoCloseable {

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
