package dev.orderflow.api.webhook;

import static dev.orderflow.api.support.OrderflowClient.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The SSRF guard at delivery time: a subscription that passed the check when it was made, and whose
 * target now points inside (as a rebinding DNS server would make it), is refused when a delivery is
 * due, before anything is sent, and the refusal is in the delivery log.
 */
class WebhookSsrfIT extends IntegrationTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Autowired
    DatabaseClient db;

    @Test
    void aTargetThatNowPointsAtTheCloudMetadataAddressIsRefusedAtDeliveryAndLogged() {
        String channel = unique("shop");
        String warehouse = unique("W");
        stock(warehouse, "SKU-1", 10);
        OrderFixtures orders = new OrderFixtures(asAdmin(), as(issueToken("channel", List.of("channel"), List.of(channel))), warehouse);
        WebTestClient partner = as(issueToken("partner", List.of("partner"), List.of(channel)));
        String id = (String) partner.post().uri("/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", "http://localhost:9/hooks", "events", List.of("order.accepted")))
                .exchange().expectStatus().isCreated()
                .expectBody(JSON).returnResult().getResponseBody().get("id");
        // what the target resolves to now: link-local, where clouds serve instance credentials
        db.sql("UPDATE webhook_subscription SET url = :url WHERE id = :id")
                .bind("url", "http://169.254.169.254/latest/meta-data/iam")
                .bind("id", UUID.fromString(id))
                .then()
                .block();

        orders.place(order(unique("PO"), warehouse, "SKU-1", 1));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> log = deliveries(partner, id);
            assertThat(log).hasSize(1);
            assertThat(log.get(0))
                    .containsEntry("state", "PENDING")
                    .containsEntry("deliveredAt", null)
                    .containsEntry("lastStatus", null);
            assertThat((Integer) log.get(0).get("attempts")).isGreaterThanOrEqualTo(1);
            assertThat((String) log.get(0).get("lastError")).startsWith("webhook target refused").contains("169.254.169.254");
        });
    }

    @Test
    void theSameAddressIsRefusedWhenSubscribingEvenWithPrivateTargetsAllowed() {
        WebTestClient partner = as(issueToken("partner", List.of("partner"), List.of(unique("shop"))));

        partner.post().uri("/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", "http://169.254.169.254/latest/meta-data", "events", List.of("order.*")))
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.status").isEqualTo(422);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> deliveries(WebTestClient partner, String id) {
        return (List<Map<String, Object>>) partner.get().uri("/v1/webhooks/{id}/deliveries", id).exchange()
                .expectStatus().isOk()
                .expectBody(JSON).returnResult().getResponseBody().get("items");
    }
}
