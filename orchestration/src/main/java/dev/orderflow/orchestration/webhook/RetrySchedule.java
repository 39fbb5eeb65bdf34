package dev.orderflow.orchestration.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed delivery is tried again: after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and
 * 24 h (about 76 hours in all, as the partners' own platforms do), each with up to 20% jitter so a
 * partner coming back is not hit by every delivery at once. After the last, the delivery is dead.
 */
public final class RetrySchedule {

    static final List<Duration> WAITS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
            Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(14), Duration.ofHours(20),
            Duration.ofHours(24));

    private RetrySchedule() {
    }

    /**
     * The next attempt after {@code attemptsSoFar} failed attempts, or empty when they are used up.
     *
     * @param retryAfter what the partner asked for (429/503 Retry-After), honoured when later than the schedule
     */
    public static Optional<Instant> next(Instant now, int attemptsSoFar, Duration retryAfter) {
        if (attemptsSoFar > WAITS.size()) {
            return Optional.empty();
        }
        Duration wait = WAITS.get(Math.max(attemptsSoFar, 1) - 1);
        long jitterMillis = ThreadLocalRandom.current().nextLong(wait.toMillis() / 5 + 1);
        Duration jittered = wait.plusMillis(jitterMillis);
        if (retryAfter != null && retryAfter.compareTo(jittered) > 0) {
            jittered = retryAfter;
        }
        return Optional.of(now.plus(jittered));
    }

    /** How many attempts a delivery gets: the first, then one per wait. */
    public static int maxAttempts() {
        return WAITS.size() + 1;
    }
}
