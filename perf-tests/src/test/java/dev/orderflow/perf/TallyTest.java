package dev.orderflow.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TallyTest {

    @Test
    void latencyIsOfAcceptedAnswersOnlySoFastSheddingDoesNotFlatterIt() {
        Tally tally = new Tally(3);
        for (int i = 0; i < 90; i++) {
            tally.add(503, 1, true, 0);
        }
        for (int i = 0; i < 10; i++) {
            tally.add(201, 200, false, 0);
        }

        assertThat(tally.percentile(50)).isEqualTo(200);
        assertThat(tally.accepted()).isEqualTo(10);
        assertThat(tally.shed()).isEqualTo(90);
        assertThat(tally.unexpected()).isZero();
    }

    @Test
    void countsWhatAnOverloadedServiceMustNeverAnswer() {
        Tally tally = new Tally(3);
        tally.add(500, 5, false, 0);
        tally.add(502, 5, false, 0);
        tally.add(503, 5, false, 0);
        tally.add(429, 5, true, 0);
        tally.add(409, 5, false, 0);
        tally.add(Tally.NO_ANSWER, 30_000, false, 0);

        assertThat(tally.serverErrorsOtherThan503()).isEqualTo(2);
        assertThat(tally.shedWithoutRetryAfter()).isEqualTo(1);
        assertThat(tally.unexpected()).isEqualTo(4);
        assertThat(tally.statuses()).isEqualTo("no answer x 1, 409 x 1, 429 x 1, 500 x 1, 502 x 1, 503 x 1");
        assertThat(tally.percentile(99)).as("nothing accepted").isEqualTo(-1);
    }

    @Test
    void secondsAddUpIntoAnInterval() {
        Tally first = new Tally(2);
        Tally second = new Tally(2);
        first.add(201, 10, false, 1_000);
        second.add(201, 30, false, 2_000);
        second.add(503, 1, true, 2_500);

        Tally interval = Tally.sum(List.of(first, second), 2);

        assertThat(interval.answers()).isEqualTo(3);
        assertThat(interval.maxLatency()).isEqualTo(30);
        // from the first send to the last answer: the 503 sent at 2,500 ms and answered 1 ms later
        assertThat(interval.spanMillis()).isEqualTo(2_501 - 1_000);
        assertThat(interval.sentPerSecond()).isEqualTo(2 * 1000.0 / 1_500);
    }
}
