package dev.orderflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard: every query is PromQL that Prometheus accepts (promtool checks them as
 * recording rules), every panel uses the provisioned datasource, and it shows what operations asked
 * for, under the metric names the application (and the intake) publish.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Tool.infra().resolve("grafana/dashboards/orderflow.json");
    private static final Pattern METRIC = Pattern.compile("\\b(orderflow_[a-z_]+|http_server_requests_seconds_[a-z]+|jvm_[a-z_]+|process_[a-z_]+|system_[a-z_]+)\\b");

    /** The intake's meters (the lead's micro-batching intake registers them): named exactly so here and in the alerts. */
    static final Set<String> INTAKE_METRICS = Set.of("orderflow_intake_batch_size", "orderflow_reservation_seconds",
            "orderflow_commit_seconds", "orderflow_orders_accepted_total");

    @Test
    void everyQueryIsValidPromQl() throws IOException {
        Tool promtool = Tool.require("promtool", "apt-get install prometheus (Debian), or a Prometheus release's promtool");
        List<String> expressions = expressions(JsonMapper.builder().build().readTree(DASHBOARD.toFile()));
        assertThat(expressions).hasSizeGreaterThan(20);
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < expressions.size(); i++) {
            // Grafana's own variable: any range will do for a syntax check
            String expression = expressions.get(i).replace("$__rate_interval", "1m");
            rules.append("      - record: dashboard:query_").append(i).append('\n')
                    .append("        expr: ").append(new YAMLMapper().writeValueAsString(expression).replaceFirst("^---\\s*", "").trim())
                    .append('\n');
        }
        Path file = Files.createTempFile("orderflow-dashboard", ".rules.yml");
        Files.writeString(file, rules);
        assertThat(promtool.succeed(file.getParent(), "check", "rules", file.toString())).contains("SUCCESS: " + expressions.size() + " rules found");
        Files.delete(file);
    }

    @Test
    void everyPanelUsesTheProvisionedDatasource() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
        String uid = new YAMLMapper().readTree(Tool.infra().resolve("grafana/provisioning/datasources/prometheus.yaml").toFile())
                .at("/datasources/0/uid").asText();
        assertThat(uid).isEqualTo("prometheus");
        for (JsonNode panel : dashboard.get("panels")) {
            if (!"row".equals(panel.get("type").asText())) {
                assertThat(panel.at("/datasource/uid").asText()).as(panel.get("title").asText()).isEqualTo(uid);
                panel.get("targets").forEach(target -> assertThat(target.at("/datasource/uid").asText()).isEqualTo(uid));
            }
        }
    }

    @Test
    void dashboardAndAlertsShowWhatOperationsAskedFor() throws IOException {
        String dashboard = Files.readString(DASHBOARD);
        String alerts = Files.readString(Tool.infra().resolve("prometheus/alerts.yml"));
        Set<String> shown = metricNames(dashboard);
        assertThat(shown).as("intake rate, latency and batch sizes").containsAll(INTAKE_METRICS.stream()
                .map(name -> name.equals("orderflow_orders_accepted_total") ? name : name + (name.endsWith("_size") ? "_sum" : "_bucket"))
                .toList());
        assertThat(shown).as("steps, breakers, webhooks, drift, open orders, JVM and CPU").contains(
                "orderflow_steps_total", "orderflow_circuit_breaker_state", "orderflow_webhook_backlog",
                "orderflow_webhook_oldest_pending_seconds", "orderflow_stock_drift_units", "orderflow_orders_open",
                "process_cpu_usage", "jvm_memory_used_bytes");
        assertThat(metricNames(alerts)).as("alerts: backlog age, breaker open, drift, error rate").contains(
                "orderflow_webhook_oldest_pending_seconds", "orderflow_circuit_breaker_state", "orderflow_stock_drift_units",
                "http_server_requests_seconds_count", "orderflow_commit_seconds_bucket");
    }

    /** Every metric the dashboard and the alert rules query (for the application's own check that it publishes them). */
    static Set<String> metricNames(String text) {
        Matcher matcher = METRIC.matcher(text);
        Set<String> names = new java.util.TreeSet<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static List<String> expressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.has("targets")) {
                panel.get("targets").forEach(target -> expressions.add(target.get("expr").asText()));
            }
        }
        return expressions.stream().collect(Collectors.toList());
    }
}
