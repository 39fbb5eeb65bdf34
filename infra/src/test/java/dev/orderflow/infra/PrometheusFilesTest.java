package dev.orderflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Prometheus configuration and alert rules, checked and unit-tested by promtool (Debian's prometheus package). */
class PrometheusFilesTest {

    private static Tool promtool;
    private static final Path PROMETHEUS = Tool.infra().resolve("prometheus");

    @BeforeAll
    static void promtool() {
        promtool = Tool.require("promtool", "apt-get install prometheus (Debian), or a Prometheus release's promtool");
    }

    @Test
    void alertRulesAreValid() {
        assertThat(promtool.succeed(PROMETHEUS, "check", "rules", "alerts.yml")).contains("SUCCESS: 9 rules found");
    }

    @Test
    void alertRulesFireWhenTheyShouldAndOnlyThen() {
        // alerts.test.yml: a flapping breaker, persistent and repaired drift, an aging webhook backlog, 5xx with actuator noise
        assertThat(promtool.succeed(PROMETHEUS, "test", "rules", "alerts.test.yml")).contains("SUCCESS");
    }

    @Test
    void composePrometheusConfigurationIsValid() {
        assertThat(promtool.succeed(PROMETHEUS, "check", "config", "prometheus.yml")).contains("SUCCESS");
    }
}
