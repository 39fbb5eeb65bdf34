package dev.orderflow.orchestration.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The retry timing, on a fixed clock: no test waits a day. */
class RetryScheduleTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void retriesFollowTheScheduleWithAtMostAFifthOfJitter() {
        for (int attempt = 1; attempt <= RetrySchedule.WAITS.size(); attempt++) {
            Duration wait = RetrySchedule.WAITS.get(attempt - 1);
            Instant next = RetrySchedule.next(NOW, attempt, null).orElseThrow();

            assertThat(next).isBetween(NOW.plus(wait), NOW.plus(wait).plus(wait.dividedBy(5)));
        }
    }

    @Test
    void theScheduleLastsMoreThanADayThenGivesUp() {
        Duration total = RetrySchedule.WAITS.stream().reduce(Duration.ZERO, Duration::plus);

        assertThat(total).isGreaterThan(Duration.ofHours(24));
        assertThat(RetrySchedule.next(NOW, RetrySchedule.maxAttempts(), null)).isEqualTo(Optional.empty());
    }

    @Test
    void aLaterRetryAfterIsHonouredAndAnEarlierOneIsNot() {
        assertThat(RetrySchedule.next(NOW, 1, Duration.ofMinutes(2))).contains(NOW.plus(Duration.ofMinutes(2)));
        assertThat(RetrySchedule.next(NOW, 2, Duration.ofSeconds(1)).orElseThrow()).isAfterOrEqualTo(NOW.plus(Duration.ofMinutes(5)));
    }
}
