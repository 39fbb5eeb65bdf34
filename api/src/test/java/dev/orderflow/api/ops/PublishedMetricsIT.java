package dev.orderflow.api.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderFixtures;
import dev.orderflow.api.support.OrderflowClient;
import dev.orderflow.orchestration.stock.StockReconciler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every metric the Grafana dashboard and the Prometheus alert rules (infra/) query is one this
 * application publishes on {@code /actuator/prometheus}, under that exact name, once an order has
 * gone through its first steps: a renamed meter breaks this test, not the dashboard in production.
 */
class PublishedMetricsIT extends IntegrationTest {

    private static final Pattern METRIC = Pattern.compile(
            "\\b(orderflow_[a-z_]+|http_server_requests_seconds_[a-z]+|jvm_[a-z_]+|process_[a-z_]+|system_[a-z_]+)\\b");

    @Autowired
    StockReconciler reconciler;

    @Test
    void everyMetricTheDashboardAndAlertsQueryIsPublished() throws IOException {
        String warehouse = unique("WH");
        stock(warehouse, "SKU-M", 5);
        String channel = channelToken();
        OrderFixtures orders = new OrderFixtures(asAdmin(), as(channel), warehouse);
        String orderId = orders.place(OrderflowClient.order(unique("PO"), warehouse, "SKU-M", 1));
        orders.awaitStatus(orderId, "RELEASED");
        reconciler.reconcile(warehouse).block(Duration.ofSeconds(10));

        Set<String> queried = new TreeSet<>();
        dashboardQueries().forEach(query -> queried.addAll(names(query)));
        alertQueries().forEach(query -> queried.addAll(names(query)));
        assertThat(queried).hasSizeGreaterThan(15);

        await("every queried metric published").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Set<String> published = published(scrape());
            Set<String> missing = queried.stream()
                    .filter(name -> !published.contains(name))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(missing).as("queried by infra/ but not published").isEmpty();
        });
    }

    private static java.util.List<String> dashboardQueries() throws IOException {
        tools.jackson.databind.JsonNode dashboard = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(Files.readString(Path.of("../infra/grafana/dashboards/orderflow.json")));
        java.util.List<String> queries = new java.util.ArrayList<>();
        dashboard.get("panels").forEach(panel -> {
            if (panel.has("targets")) {
                panel.get("targets").forEach(target -> queries.add(target.get("expr").asString()));
            }
        });
        return queries;
    }

    @SuppressWarnings("unchecked")
    private static java.util.List<String> alertQueries() throws IOException {
        java.util.Map<String, Object> rules = new org.yaml.snakeyaml.Yaml().load(Files.readString(Path.of("../infra/prometheus/alerts.yml")));
        return ((java.util.List<java.util.Map<String, Object>>) rules.get("groups")).stream()
                .flatMap(group -> ((java.util.List<java.util.Map<String, Object>>) group.get("rules")).stream())
                .map(rule -> (String) rule.get("expr"))
                .toList();
    }

    private String scrape() {
        return http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private static Set<String> published(String scrape) {
        return scrape.lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toSet());
    }

    private static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
