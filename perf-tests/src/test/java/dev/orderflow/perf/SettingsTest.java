package dev.orderflow.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void durationsAreWrittenAsPeopleWriteThem() {
        assertThat(Settings.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Settings.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Settings.parseDuration("3m")).isEqualTo(Duration.ofMinutes(3));
        assertThat(Settings.parseDuration("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Settings.parseDuration("45")).as("bare seconds").isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void aTypoIsRefusedNotReadAsZero() {
        assertThatThrownBy(() -> Settings.parseDuration("3 minutes")).hasMessageContaining("not a duration");
    }
}
