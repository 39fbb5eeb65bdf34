package dev.orderflow.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RecoveryTest {

    private final NavigableMap<Long, Tally> seconds = new TreeMap<>();

    /** One second of sending: {@code accepted} answers 201 taking {@code latencyMs}, {@code shed} answers 503. */
    private void second(long second, int accepted, long latencyMs, int shed) {
        Tally tally = new Tally(2);
        for (int i = 0; i < accepted; i++) {
            tally.add(201, latencyMs, false, second * 1000);
        }
        for (int i = 0; i < shed; i++) {
            tally.add(503, 1, true, second * 1000);
        }
        seconds.put(second, tally);
    }

    @Test
    void normalIsTheSteadyP99WithSlack() {
        assertThat(Recovery.normalP99(40, 1.5, 250)).isEqualTo(60);
        // a fast steady phase still allows a few milliseconds of jitter
        assertThat(Recovery.normalP99(4, 1.5, 250)).isEqualTo(9);
        // a steady phase slower than the bound does not make slowness normal
        assertThat(Recovery.normalP99(400, 1.5, 250)).isEqualTo(250);
    }

    @Test
    void recoveredAtTheFirstOfFiveNormalSecondsInARow() {
        second(10, 100, 400, 0);
        second(11, 100, 300, 0);
        second(12, 100, 20, 0);
        second(13, 100, 20, 0);
        second(14, 100, 200, 0); // one slow second restarts the count
        for (long s = 15; s < 30; s++) {
            second(s, 100, 20, 0);
        }

        assertThat(Recovery.secondsToRecover(seconds, 10, 30, 50)).isEqualTo(5);
    }

    @Test
    void aSecondWithNothingAcceptedIsNotNormalEvenIfTheSheddingWasFast() {
        for (long s = 10; s < 30; s++) {
            second(s, s < 17 ? 0 : 100, 20, s < 17 ? 100 : 0);
        }

        assertThat(Recovery.secondsToRecover(seconds, 10, 30, 50)).isEqualTo(7);
        assertThat(Recovery.secondsShedding(seconds, 10)).isEqualTo(7);
    }

    @Test
    void neverRecoveredWithinThePhaseIsMinusOne() {
        for (long s = 10; s < 30; s++) {
            second(s, 100, s < 27 ? 500 : 20, 0);
        }

        // 27, 28, 29 are normal but the phase ends before five in a row
        assertThat(Recovery.secondsToRecover(seconds, 10, 30, 50)).isEqualTo(-1);
        assertThat(Recovery.secondsShedding(seconds, 10)).isZero();
    }
}
