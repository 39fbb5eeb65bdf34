package dev.orderflow.api.security;

import dev.orderflow.orchestration.principal.ApiKeys;
import dev.orderflow.orchestration.principal.Principals;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import reactor.core.publisher.Mono;

/**
 * Resolves bearer keys to principals. The hot path may not spend a database round trip on every
 * request, so known keys are cached for a short while; a revocation evicts at once here and, through
 * {@link RevocationBroadcast}, on every other instance. Unknown keys are never cached, so a flood of
 * random keys cannot fill memory.
 */
public class PrincipalDirectory implements ReactiveAuthenticationManager {

    private static final Duration TTL = Duration.ofSeconds(30);

    private final Principals principals;
    private final Map<String, Cached> byKeyHash = new ConcurrentHashMap<>();
    /** Counts evictions: a lookup that overlapped one may have read a principal revoked meanwhile. */
    private final AtomicLong evictions = new AtomicLong();

    public PrincipalDirectory(Principals principals) {
        this.principals = principals;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        String token = ((BearerToken) authentication).token();
        String keyHash = HexFormat.of().formatHex(ApiKeys.hash(token));
        Cached cached = byKeyHash.get(keyHash);
        if (cached != null && !cached.expired()) {
            return Mono.just(cached.authentication());
        }
        long evictionsBefore = evictions.get();
        return principals.findActiveByToken(token)
                .map(PrincipalAuthentication::new)
                .doOnNext(found -> cacheUnlessRevokedMeanwhile(keyHash, found, evictionsBefore))
                .cast(Authentication.class)
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException("Unknown or revoked token.")));
    }

    /** Forgets a principal's cached key, so its next request goes to PostgreSQL (and fails). */
    public void evict(UUID principalId) {
        evictions.incrementAndGet();
        byKeyHash.values().removeIf(entry -> entry.authentication().getPrincipal().id().equals(principalId));
    }

    /** Forgets every cached key (an admin key was replaced). */
    public void evictAll() {
        evictions.incrementAndGet();
        byKeyHash.clear();
    }

    /**
     * A lookup that started before a revocation may have read the principal just before it was
     * revoked: answering this one request with it is the same as the request arriving a moment
     * earlier, but caching it would keep a revoked key working for the whole TTL.
     */
    private void cacheUnlessRevokedMeanwhile(String keyHash, PrincipalAuthentication found, long evictionsBefore) {
        byKeyHash.put(keyHash, new Cached(found, System.nanoTime() + TTL.toNanos()));
        if (evictions.get() != evictionsBefore) {
            byKeyHash.remove(keyHash);
        }
    }

    private record Cached(PrincipalAuthentication authentication, long expiresAtNanos) {
        boolean expired() {
            return System.nanoTime() - expiresAtNanos > 0;
        }
    }
}
