package dev.orderflow.api.chaos;

import java.time.Duration;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long chaos run, on demand only: the round of faults repeated for {@code -Dchaos.duration}
 * (an ISO-8601 or "30m"-style duration), e.g.
 * {@code ./mvnw -B -pl api -am verify -Dit.test=ChaosLongIT -Dchaos.duration=30m -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "chaos.duration", matches = ".+")
class ChaosLongIT extends ChaosScenario {

    @Override
    Duration duration() {
        String value = System.getProperty("chaos.duration").trim().toLowerCase(java.util.Locale.ROOT);
        if (value.startsWith("p")) {
            return Duration.parse(value.toUpperCase(java.util.Locale.ROOT));
        }
        return Duration.parse("PT" + value.toUpperCase(java.util.Locale.ROOT));
    }
}
