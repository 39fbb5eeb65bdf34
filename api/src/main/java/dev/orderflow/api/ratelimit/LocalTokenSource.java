package dev.orderflow.api.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;

/**
 * The same token buckets as {@code lease.lua}, in this instance's memory: what the limiter leases
 * from while Redis is away. Each instance then allows a principal the full rate on its own.
 */
final class LocalTokenSource implements TokenSource {

    private final int ratePerSecond;
    private final LongSupplier nanoTime;
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    LocalTokenSource(int ratePerSecond, LongSupplier nanoTime) {
        this.ratePerSecond = ratePerSecond;
        this.nanoTime = nanoTime;
    }

    @Override
    public Mono<Lease> lease(UUID principal, int want) {
        return Mono.fromSupplier(() -> buckets.computeIfAbsent(principal, id -> new Bucket(ratePerSecond, nanoTime.getAsLong()))
                .lease(want, nanoTime.getAsLong(), ratePerSecond));
    }

    /** Forgets buckets that are full again: they are the same as no bucket. */
    void forgetIdle() {
        long now = nanoTime.getAsLong();
        buckets.values().removeIf(bucket -> bucket.fullAt(now, ratePerSecond));
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized Lease lease(int want, long now, int rate) {
            refill(now, rate);
            int granted = (int) Math.min(want, Math.floor(tokens));
            tokens -= granted;
            long waitNanos = granted < want ? (long) Math.ceil((want - granted - tokens) * 1e9 / rate) : 0;
            return new Lease(granted, Duration.ofNanos(waitNanos), (int) Math.floor(tokens));
        }

        synchronized boolean fullAt(long now, int rate) {
            refill(now, rate);
            return tokens >= rate;
        }

        private void refill(long now, int rate) {
            if (now > at) {
                tokens = Math.min(rate, tokens + (now - at) * rate / 1e9);
                at = now;
            }
        }
    }
}
