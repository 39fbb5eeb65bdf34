package dev.orderflow.api.ratelimit;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Requests per second per principal, shared by every instance. The shared bucket lives in Redis
 * (burst = rate); each instance leases a chunk of it (a tenth of the rate) and spends the chunk
 * locally, so Redis sees one call per chunk, not per request, and the limit across all instances is
 * exact to within one chunk per instance. A principal over its limit is refused locally until the
 * shared bucket has a chunk again, without asking Redis on every refused request either.
 *
 * <p>If Redis fails, the limiter fails open to local limits for {@link #REDIS_AWAY}: each
 * instance leases from a bucket of the same size in its own memory. A Redis outage should not
 * turn every read and every webhook call into a 429 or a 503 (orders need Redis for stock anyway and
 * answer 503 on their own), and local limits still bound any one principal per instance.
 */
public class RateLimiter {

    static final Duration REDIS_AWAY = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
    /**
     * A request that found the tokens of the lease it waited for taken by the others waiting with it
     * waits for one more, which asks for enough for everyone then waiting; if that is not enough
     * either, the bucket is short and it is refused rather than queued.
     */
    private static final int MAX_LEASES_PER_REQUEST = 2;
    private static final int MAX_TRACKED = 10_000;
    private static final Duration IDLE = Duration.ofMinutes(1);

    private final TokenSource shared;
    private final LocalTokenSource fallback;
    private final int ratePerSecond;
    private final int chunk;
    private final LongSupplier clock;
    private final Map<UUID, LocalAllowance> allowances = new ConcurrentHashMap<>();
    private volatile long redisAwayUntil;
    private volatile boolean redisAway;

    RateLimiter(TokenSource shared, int ratePerSecond, LongSupplier clock) {
        this.shared = shared;
        this.ratePerSecond = ratePerSecond;
        this.chunk = Math.max(1, ratePerSecond / 10);
        this.clock = clock;
        this.fallback = new LocalTokenSource(ratePerSecond, clock);
        this.redisAwayUntil = clock.getAsLong();
    }

    /** A limiter on the shared buckets in Redis. */
    public static RateLimiter shared(RedisClusterReactiveCommands<String, String> redis, int ratePerSecond) {
        return new RateLimiter(new RedisTokenSource(redis, ratePerSecond), ratePerSecond, System::nanoTime);
    }

    public int ratePerSecond() {
        return ratePerSecond;
    }

    /** Spends one of the principal's tokens, or says how long to wait for one. */
    public Mono<Decision> acquire(UUID principal) {
        return Mono.defer(() -> acquireNow(principal));
    }

    private Mono<Decision> acquireNow(UUID principal) {
        LocalAllowance allowance = allowances.computeIfAbsent(principal, id -> new LocalAllowance());
        Decision local = allowance.tryLocal(clock.getAsLong());
        if (local != null) {
            return Mono.just(local);
        }
        allowance.waits();
        return leaseAndTake(principal, allowance, 1)
                .doFinally(signal -> allowance.answered());
    }

    private Mono<Decision> leaseAndTake(UUID principal, LocalAllowance allowance, int leases) {
        return allowance.sharedLease(want -> lease(principal, want), chunk, ratePerSecond, clock)
                .then(Mono.defer(() -> take(principal, allowance, leases)));
    }

    private Mono<Decision> take(UUID principal, LocalAllowance allowance, int leases) {
        Decision local = allowance.tryLocal(clock.getAsLong());
        if (local != null) {
            return Mono.just(local);
        }
        if (leases == MAX_LEASES_PER_REQUEST) {
            return Mono.just(Decision.refuse(Duration.ofSeconds(1)));
        }
        return leaseAndTake(principal, allowance, leases + 1);
    }

    private Mono<Lease> lease(UUID principal, int want) {
        forgetIdleIfMany();
        if (redisAway && clock.getAsLong() - redisAwayUntil < 0) {
            return fallback.lease(principal, want);
        }
        return shared.lease(principal, want)
                .doOnNext(leased -> redisBack())
                // deliberately open: Redis away must not make every request a 429 (see the class comment)
                .onErrorResume(RedisException.class, error -> {
                    redisGone(error);
                    return fallback.lease(principal, want);
                });
    }

    private void redisGone(RedisException error) {
        if (!redisAway) {
            LOG.warn("Rate limits fall back to per-instance limits for {} s: Redis failed ({})", REDIS_AWAY.toSeconds(),
                    error.toString());
        }
        redisAwayUntil = clock.getAsLong() + REDIS_AWAY.toNanos();
        redisAway = true;
    }

    private void redisBack() {
        if (redisAway) {
            redisAway = false;
            LOG.info("Rate limits are shared through Redis again");
        }
    }

    private void forgetIdleIfMany() {
        if (allowances.size() > MAX_TRACKED) {
            long since = clock.getAsLong() - IDLE.toNanos();
            allowances.values().removeIf(allowance -> allowance.idleSince(since));
            fallback.forgetIdle();
        }
    }
}
