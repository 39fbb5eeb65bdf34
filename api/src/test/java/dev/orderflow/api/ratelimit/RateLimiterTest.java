package dev.orderflow.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The limiter's arithmetic on a clock the test moves: leases per chunk, refusals, refill, sharing, Redis away. */
class RateLimiterTest {

    private static final int RATE = 100;
    private static final int CHUNK = RATE / 10;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final UUID principal = UUID.randomUUID();

    /** The in-memory buckets stand in for Redis's: same arithmetic as lease.lua, counted. */
    private final LocalTokenSource buckets = new LocalTokenSource(RATE, now::get);
    private final AtomicInteger leases = new AtomicInteger();
    private final TokenSource counted = (id, want) -> {
        leases.incrementAndGet();
        return buckets.lease(id, want);
    };

    @Test
    void aBurstTakesOneLeasePerChunkNotOneCallPerRequest() {
        RateLimiter limiter = new RateLimiter(counted, RATE, now::get);

        List<Decision> decisions = acquire(limiter, RATE);

        assertThat(decisions).allMatch(Decision::allowed);
        assertThat(leases.get()).isEqualTo(RATE / CHUNK);
    }

    @Test
    void overTheBurstItIsRefusedWithoutAskingAgainUntilAChunkIsBack() {
        RateLimiter limiter = new RateLimiter(counted, RATE, now::get);
        acquire(limiter, RATE);
        int leasesForTheBurst = leases.get();

        List<Decision> refused = acquire(limiter, 50);

        assertThat(refused).noneMatch(Decision::allowed);
        // one lease found the bucket empty; the other 49 were refused locally
        assertThat(leases.get()).isEqualTo(leasesForTheBurst + 1);
        // a chunk (10 tokens at 100/s) is back in 100 ms
        assertThat(refused.get(0).retryAfter()).isBetween(Duration.ofMillis(90), Duration.ofMillis(100));
        assertThat(RateLimitHeaders.retryAfterSeconds(refused.get(0))).isEqualTo(1);
    }

    @Test
    void theBudgetRefillsAtTheRate() {
        RateLimiter limiter = new RateLimiter(counted, RATE, now::get);
        acquire(limiter, RATE);
        assertThat(limiter.acquire(principal).block().allowed()).isFalse();

        now.addAndGet(Duration.ofMillis(500).toNanos());

        long allowed = acquire(limiter, RATE).stream().filter(Decision::allowed).count();
        assertThat(allowed).isEqualTo(RATE / 2);
    }

    @Test
    void twoInstancesShareOneBudgetWithinAChunkEach() {
        RateLimiter first = new RateLimiter(counted, RATE, now::get);
        RateLimiter second = new RateLimiter(counted, RATE, now::get);

        long allowed = 0;
        for (int i = 0; i < RATE; i++) {
            allowed += first.acquire(principal).block().allowed() ? 1 : 0;
            allowed += second.acquire(principal).block().allowed() ? 1 : 0;
        }

        // separate budgets would have let 2 x 100 through
        assertThat(allowed).isEqualTo(RATE);
    }

    @Test
    void leasedTokensExpireSoNoInstanceSitsOnAnOldBurst() {
        RateLimiter limiter = new RateLimiter(counted, RATE, now::get);
        limiter.acquire(principal).block();
        int before = leases.get();

        now.addAndGet(LocalAllowance.LEASE_LIFETIME.plusMillis(1).toNanos());
        limiter.acquire(principal).block();

        assertThat(leases.get()).isEqualTo(before + 1);
    }

    @Test
    void concurrentRequestsShareTheLeaseInFlight() {
        AtomicInteger calls = new AtomicInteger();
        TokenSource slow = (id, want) -> {
            calls.incrementAndGet();
            return buckets.lease(id, want).delayElement(Duration.ofMillis(50));
        };
        RateLimiter limiter = new RateLimiter(slow, RATE, now::get);

        List<Decision> decisions = Flux.range(0, CHUNK).flatMap(i -> limiter.acquire(principal), CHUNK).collectList().block();

        assertThat(decisions).hasSize(CHUNK).allMatch(Decision::allowed);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void moreConcurrentRequestsThanAChunkLeaseAgainRatherThanBeingRefused() {
        TokenSource slow = (id, want) -> {
            leases.incrementAndGet();
            return buckets.lease(id, want).delayElement(Duration.ofMillis(20));
        };
        RateLimiter limiter = new RateLimiter(slow, RATE, now::get);

        List<Decision> decisions = Flux.range(0, 3 * CHUNK).flatMap(i -> limiter.acquire(principal), 3 * CHUNK).collectList().block();

        // the bucket holds 100: none of 30 may be refused; the first lease was a chunk, the second
        // asked for all who were still waiting
        assertThat(decisions).hasSize(3 * CHUNK).allMatch(Decision::allowed);
        assertThat(leases.get()).isEqualTo(2);
    }

    @Test
    void overloadIsRefusedNotQueued() {
        // leases slower than the refill: every lease finds a token or two, and yet the crowd must be refused
        TokenSource slow = (id, want) -> buckets.lease(id, want).delayElement(Duration.ofMillis(20));
        RateLimiter limiter = new RateLimiter(slow, RATE, now::get);
        acquire(limiter, RATE);

        now.addAndGet(Duration.ofMillis(30).toNanos());
        List<Decision> decisions = Flux.range(0, 50).flatMap(i -> limiter.acquire(principal), 50).collectList().block();

        // 3 tokens came back in 30 ms: 3 allowed, 47 refused, none left waiting
        assertThat(decisions).hasSize(50);
        assertThat(decisions.stream().filter(Decision::allowed).count()).isEqualTo(3);
    }

    @Test
    void manyConcurrentRequestsOnTwoInstancesAllGetAnAnswerPromptly() {
        LocalTokenSource shared = new LocalTokenSource(20, System::nanoTime);
        TokenSource remote = (id, want) -> shared.lease(id, want).delayElement(Duration.ofMillis(2));
        RateLimiter first = new RateLimiter(remote, 20, System::nanoTime);
        RateLimiter second = new RateLimiter(remote, 20, System::nanoTime);

        List<Decision> decisions = Flux.range(0, 240)
                .flatMap(i -> (i % 2 == 0 ? first : second).acquire(principal), 16)
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(decisions).hasSize(240);
        assertThat(decisions.stream().filter(Decision::allowed).count()).isBetween(20L, 40L);
    }

    @Test
    void whenRedisFailsItFallsBackToLocalLimitsAndStopsAskingForAWhile() {
        AtomicInteger calls = new AtomicInteger();
        TokenSource down = (id, want) -> {
            calls.incrementAndGet();
            return Mono.error(new RedisConnectionException("connection refused"));
        };
        RateLimiter limiter = new RateLimiter(down, RATE, now::get);

        List<Decision> decisions = acquire(limiter, RATE + 20);

        // open, but still limited: this instance alone allows the full rate
        assertThat(decisions.stream().filter(Decision::allowed).count()).isEqualTo(RATE);
        assertThat(calls.get()).isEqualTo(1);

        now.addAndGet(RateLimiter.REDIS_AWAY.plusMillis(1).toNanos());
        limiter.acquire(principal).block();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void principalsHaveBudgetsOfTheirOwn() {
        RateLimiter limiter = new RateLimiter(counted, RATE, now::get);
        acquire(limiter, RATE + 1);

        assertThat(limiter.acquire(UUID.randomUUID()).block().allowed()).isTrue();
    }

    private List<Decision> acquire(RateLimiter limiter, int requests) {
        return Flux.range(0, requests).concatMap(i -> limiter.acquire(principal)).collectList().block();
    }
}
