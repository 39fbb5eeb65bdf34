package dev.orderflow.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReportTest {

    private final Phases phases = new Phases(
            new Phases.Phase("warm-up", Duration.ofSeconds(30)), new Phases.Phase("measured", Duration.ofMinutes(3)));

    @Test
    void aPhaseWindowIsWhenThatPhaseRanCountedFromTheFirstRequest() {
        phases.at(1_000_000);
        Report report = new Report();

        report.putWindow("", phases, "measured");

        assertThat(report.value("from_ms")).isEqualTo("1030000");
        assertThat(report.value("to_ms")).isEqualTo("1210000");
    }

    @Test
    void noWindowBeforeTheFirstRequest() {
        Report report = new Report();

        report.putWindow("", phases, "measured");

        assertThat(report.value("from_ms")).isNull();
    }
}
