package dev.orderflow.api.ratelimit;

import dev.orderflow.orchestration.stock.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * The shared token buckets, one Redis hash per principal ({@code {rl:<id>}}: one key per call, so
 * each lease is atomic on a Redis Cluster too), leased from by {@code lease.lua}.
 */
final class RedisTokenSource implements TokenSource {

    private static final LuaScript LEASE = LuaScript.load(RedisTokenSource.class, "lease.lua", ScriptOutputType.MULTI);

    private final RedisClusterReactiveCommands<String, String> redis;
    private final int ratePerSecond;

    RedisTokenSource(RedisClusterReactiveCommands<String, String> redis, int ratePerSecond) {
        this.redis = redis;
        this.ratePerSecond = ratePerSecond;
    }

    static String key(UUID principal) {
        return "{rl:" + principal + "}";
    }

    @Override
    public Mono<Lease> lease(UUID principal, int want) {
        String rate = Integer.toString(ratePerSecond);
        return LEASE.<List<Long>>run(redis, List.of(key(principal)), List.of(rate, rate, Integer.toString(want)))
                .map(answer -> new Lease(answer.get(0).intValue(), Duration.ofMillis(answer.get(1)), answer.get(2).intValue()));
    }
}
