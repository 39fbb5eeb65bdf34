package dev.orderflow.api.ratelimit;

import java.time.Duration;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;

/**
 * One principal's tokens on this instance: those leased and not yet spent, and, after the shared
 * bucket said "empty", until when to refuse without asking again. A request either spends a token
 * here (no Redis call), is refused here, or waits for the one lease in flight.
 */
final class LocalAllowance {

    /** Leased tokens not spent within this long are dropped, so no instance sits on an old burst. */
    static final Duration LEASE_LIFETIME = Duration.ofSeconds(1);

    private int tokens;
    private long leaseExpiresAt;
    private int sharedRemaining;
    private long emptyUntil;
    private boolean refusing;
    private Mono<Lease> inFlight;
    private int waiting;
    private long lastUsed;

    /** What the local state alone decides; null when a lease is needed. */
    synchronized Decision tryLocal(long now) {
        lastUsed = now;
        if (tokens > 0 && now - leaseExpiresAt < 0) {
            tokens--;
            return Decision.allow(tokens + sharedRemaining);
        }
        if (refusing && now - emptyUntil < 0) {
            return Decision.refuse(Duration.ofNanos(emptyUntil - now));
        }
        return null;
    }

    /** A request starts waiting for a lease: the next lease asks for enough tokens for all who wait. */
    synchronized void waits() {
        waiting++;
    }

    /** A request waiting for a lease has its answer. */
    synchronized void answered() {
        waiting--;
    }

    /**
     * The lease in flight, or a new one from {@code lease} (given how many tokens to ask for): one
     * lease at a time per principal, its tokens taken in here once, whoever waits for it.
     */
    synchronized Mono<Lease> sharedLease(IntFunction<Mono<Lease>> lease, int chunk, int most, LongSupplier clock) {
        if (inFlight == null) {
            // cleared before the waiters hear of the outcome: those who find no token lease anew
            inFlight = lease.apply(Math.min(most, Math.max(chunk, waiting)))
                    .doOnNext(leased -> granted(leased, clock.getAsLong()))
                    .doOnTerminate(this::clearInFlight)
                    .cache();
        }
        return inFlight;
    }

    private synchronized void clearInFlight() {
        inFlight = null;
    }

    /** Takes in what a lease brought, before its waiters look again. */
    private synchronized void granted(Lease lease, long now) {
        if (lease.granted() > 0) {
            // tokens from an expired lease are gone; a fresh lease replaces them
            tokens = (now - leaseExpiresAt < 0 ? tokens : 0) + lease.granted();
            leaseExpiresAt = now + LEASE_LIFETIME.toNanos();
            refusing = false;
        } else {
            refusing = true;
            emptyUntil = now + Math.max(lease.refillIn().toNanos(), 1);
        }
        sharedRemaining = lease.remaining();
    }

    synchronized boolean idleSince(long since) {
        return lastUsed - since < 0 && inFlight == null;
    }
}
