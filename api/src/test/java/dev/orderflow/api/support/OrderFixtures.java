package dev.orderflow.api.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Orders brought to a state through the real API, and waits for the engine to move them on. */
public final class OrderFixtures {

    private final WebTestClient admin;
    private final WebTestClient channel;
    private final String warehouse;

    public OrderFixtures(WebTestClient admin, WebTestClient channel, String warehouse) {
        this.admin = admin;
        this.channel = channel;
        this.warehouse = warehouse;
    }

    /** Posts an order and answers its id. */
    public String place(Map<String, Object> body) {
        Map<?, ?> answer = OrderflowClient.post(channel, String.valueOf(body.get("externalRef")), body).getResponseBody();
        return (String) answer.get("id");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> get(String orderId) {
        return admin.get().uri("/v1/orders/{id}", orderId).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    public String status(String orderId) {
        return (String) get(orderId).get("status");
    }

    /** Waits until the order reaches {@code status}; fails fast if it lands in another final state. */
    public Map<String, Object> awaitStatus(String orderId, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(status(orderId)));
        return get(orderId);
    }

    public void waitUntil(String orderId, Predicate<Map<String, Object>> condition) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> condition.test(get(orderId)));
    }

    public List<String> timelineTypes(String orderId) {
        return timeline(orderId).stream().map(item -> (String) item.get("type")).toList();
    }

    /** The order's timeline entries, oldest first, as the operator sees them. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> timeline(String orderId) {
        Map<String, Object> timeline = admin.get().uri("/v1/orders/{id}/timeline", orderId).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (List<Map<String, Object>>) timeline.get("items");
    }
}
