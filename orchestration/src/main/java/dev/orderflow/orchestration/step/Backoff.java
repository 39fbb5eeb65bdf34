package dev.orderflow.orchestration.step;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: base x 2^(attempt-1), capped, then a random half to all of it. */
final class Backoff {

    private Backoff() {
    }

    static Duration after(int attempt, Duration base, Duration max) {
        long exponent = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = Math.min(max.toMillis(), base.toMillis() << exponent);
        // jitter spreads retries of many steps that failed together (an outage) so they do not return together
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(jittered);
    }
}
