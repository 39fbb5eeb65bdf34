package dev.orderflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The compose file, as docker-compose reads it (Debian's docker-compose, v1: it parses and resolves
 * a file without a container engine, which these machines do not have).
 */
class ComposeFileTest {

    @Test
    void composeFileIsValidAndHasEveryService() {
        Tool compose = Tool.require("docker-compose", "apt-get install docker-compose (Debian)");
        compose.succeed(Tool.infra(), "-f", "compose.yaml", "config", "-q");
        String services = compose.succeed(Tool.infra(), "-f", "compose.yaml", "config", "--services");
        assertThat(services.lines()).containsExactlyInAnyOrder("postgres", "redis", "orderflow-1", "orderflow-2", "lb",
                "prometheus", "grafana");
    }

    @Test
    void bothInstancesShareOneDatabaseOneRedisAndOneSetOfSimulators() {
        Tool compose = Tool.require("docker-compose", "apt-get install docker-compose (Debian)");
        String resolved = compose.succeed(Tool.infra(), "-f", "compose.yaml", "config");
        assertThat(countOf(resolved, "ORDERFLOW_DATABASE_URL: postgresql://orderflow:orderflow@postgres:5432/orderflow")).isEqualTo(2);
        // the anchor gives both instances the same environment
        assertThat(countOf(resolved, "ORDERFLOW_REDIS_URL: redis://redis:6379/0")).isEqualTo(2);
        assertThat(countOf(resolved, "ORDERFLOW_CREDIT_URL: http://orderflow-1:8080/simulators/credit")).isEqualTo(2);
    }

    private static int countOf(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
