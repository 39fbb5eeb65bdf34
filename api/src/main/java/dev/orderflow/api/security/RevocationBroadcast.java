package dev.orderflow.api.security;

import dev.orderflow.api.config.RedisConnections;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Tells every instance that a principal was revoked, over Redis publish/subscribe, so that a key
 * revoked on one instance stops working on all of them at once rather than when their caches expire.
 * If a message is lost (Redis briefly away) the cache's short TTL still bounds the delay.
 */
public class RevocationBroadcast implements SmartLifecycle {

    static final String CHANNEL = "orderflow:principal-revoked";
    static final String ALL = "*";
    private static final Logger LOG = LoggerFactory.getLogger(RevocationBroadcast.class);

    private final RedisConnections redis;
    private final PrincipalDirectory directory;
    private volatile Disposable subscription;

    public RevocationBroadcast(RedisConnections redis, PrincipalDirectory directory) {
        this.redis = redis;
        this.directory = directory;
    }

    /** Evicts here at once, then tells the other instances. */
    public Mono<Void> revoked(UUID principalId) {
        directory.evict(principalId);
        return publish(principalId.toString());
    }

    /** Every cached key is suspect (the admin key changed). */
    public Mono<Void> revokedAll() {
        directory.evictAll();
        return publish(ALL);
    }

    private Mono<Void> publish(String message) {
        return redis.commands().publish(CHANNEL, message)
                // the revocation is already in PostgreSQL; a lost broadcast only delays other instances by the cache TTL
                .onErrorResume(error -> {
                    LOG.warn("Could not broadcast a revocation; other instances notice within the cache TTL", error);
                    return Mono.empty();
                })
                .then();
    }

    @Override
    public void start() {
        subscription = redis.pubSub().subscribe(CHANNEL)
                .thenMany(redis.pubSub().observeChannels())
                .subscribe(message -> onMessage(message.getMessage()),
                        error -> LOG.warn("Revocation subscription ended", error));
    }

    private void onMessage(String message) {
        if (ALL.equals(message)) {
            directory.evictAll();
        } else {
            directory.evict(UUID.fromString(message));
        }
    }

    @Override
    public void stop() {
        if (subscription != null) {
            subscription.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null && !subscription.isDisposed();
    }
}
