package dev.orderflow.api.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.orderflow.api.support.OrderflowClient.order;
import static dev.orderflow.api.support.OrderflowClient.with;
import static dev.orderflow.api.support.StockAssertions.assertStockConsistent;
import static dev.orderflow.api.support.StockAssertions.onHand;
import static dev.orderflow.api.support.StockAssertions.reservedInPostgres;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.orderflow.api.support.Downstreams;
import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderFixtures;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** An order's life after intake, over real HTTP to stand-ins for credit, fulfillment and invoicing. */
class LifecycleIT extends IntegrationTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    RedisClusterReactiveCommands<String, String> redis;

    WireMockServer downstreams = Downstreams.server();
    String warehouse;
    String sku;
    String other;
    OrderFixtures orders;
    WebTestClient warehouseClerk;

    @BeforeEach
    void stockAWarehouse() {
        Downstreams.healthy();
        warehouse = unique("W");
        sku = unique("SKU");
        other = unique("SKU");
        orders = new OrderFixtures(asAdmin(), as(channelToken()), warehouse);
        stock(warehouse, sku, 100);
        stock(warehouse, other, 100);
        warehouseClerk = as(issueToken("user", List.of("warehouse"), List.of()));
    }

    @AfterEach
    void healthyAgain() {
        Downstreams.healthy();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOrderIsReleasedShippedInPartsInvoicedPerShipmentAndCompleted() {
        String id = orders.place(order(unique("PO"), warehouse, sku, 5, other, 2));

        orders.awaitStatus(id, "RELEASED");
        orders.waitUntil(id, order -> steps(order).stream().anyMatch(step -> "FULFILLMENT".equals(step.get("kind"))
                && "SUCCEEDED".equals(step.get("state"))));
        downstreams.verify(1, postRequestedFor(urlPathEqualTo("/fulfillment/fulfillment-requests"))
                .withRequestBody(matchingJsonPath("$.orderId", equalTo(id))));

        ship(id, "S-1", Map.of(1, 3)).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("PARTIALLY_SHIPPED");
        // the same shipment again changes nothing
        ship(id, "S-1", Map.of(1, 3)).expectStatus().isOk();
        ship(id, "S-2", Map.of(1, 3)).expectStatus().isEqualTo(422);
        ship(id, "S-2", Map.of(1, 2, 2, 2)).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("SHIPPED");

        Map<String, Object> done = orders.awaitStatus(id, "COMPLETED");
        assertThat((List<Map<String, Object>>) done.get("lines")).allSatisfy(line -> {
            assertThat(line.get("shipped")).isEqualTo(line.get("quantity"));
            assertThat(line.get("invoiced")).isEqualTo(line.get("quantity"));
            assertThat(line.get("reserved")).isEqualTo(0);
        });
        downstreams.verify(2, postRequestedFor(urlPathEqualTo("/invoicing/invoices"))
                .withRequestBody(matchingJsonPath("$.orderId", equalTo(id))));
        assertThat(onHand(db, warehouse, sku)).isEqualTo(95);
        assertThat(reservedInPostgres(db, warehouse, sku)).isZero();
        assertThat(orders.timelineTypes(id)).containsSubsequence("order.accepted", "order.released",
                "order.partially_shipped", "order.shipped", "order.invoiced", "order.completed");
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void aCreditHoldWaitsForSomeoneWithTheCreditRole() {
        downstreams.stubFor(post(urlPathEqualTo("/credit/credit-checks"))
                .withRequestBody(matchingJsonPath("$.customerId", equalTo("C-HOLD")))
                .willReturn(okJson("{\"decision\":\"HOLD\",\"reason\":\"over limit\"}")));
        String id = orders.place(with(order(unique("PO"), warehouse, sku, 1), "customerId", "C-HOLD"));

        orders.awaitStatus(id, "CREDIT_HOLD");
        WebTestClient channelClerk = as(issueToken("channel", List.of("channel"), List.of("nobody")));
        channelClerk.post().uri("/v1/orders/{id}/credit-release", id).exchange().expectStatus().isForbidden();
        as(issueToken("user", List.of("credit"), List.of())).post().uri("/v1/orders/{id}/credit-release", id).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("RELEASED");

        orders.waitUntil(id, order -> steps(order).stream().anyMatch(step -> "FULFILLMENT".equals(step.get("kind"))
                && "SUCCEEDED".equals(step.get("state"))));
    }

    @Test
    void aRejectedOrderGivesItsStockBack() {
        downstreams.stubFor(post(urlPathEqualTo("/credit/credit-checks"))
                .withRequestBody(matchingJsonPath("$.customerId", equalTo("C-BAD")))
                .willReturn(okJson("{\"decision\":\"REJECTED\",\"reason\":\"blocked\"}")));
        String id = orders.place(with(order(unique("PO"), warehouse, sku, 7), "customerId", "C-BAD"));

        orders.awaitStatus(id, "REJECTED");

        assertThat(reservedInPostgres(db, warehouse, sku)).isZero();
        assertStockConsistent(db, redis, warehouse);
        downstreams.verify(0, postRequestedFor(urlPathEqualTo("/fulfillment/fulfillment-requests"))
                .withRequestBody(matchingJsonPath("$.orderId", equalTo(id))));
    }

    @Test
    void cancellingAReleasedInvoicedOrderCompensatesEverything() {
        String id = orders.place(with(order(unique("PO"), warehouse, sku, 4), "invoicingPolicy", "ON_RELEASE"));
        orders.waitUntil(id, order -> steps(order).stream().filter(step -> "SUCCEEDED".equals(step.get("state"))).count() == 3);

        asAdmin().post().uri("/v1/orders/{id}/cancel", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "customer changed their mind"))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("CANCELLED");

        orders.waitUntil(id, order -> steps(order).stream().filter(step -> "SUCCEEDED".equals(step.get("state"))).count() == 5);
        downstreams.verify(1, postRequestedFor(urlPathMatching("/fulfillment/fulfillment-requests/" + id + "/cancel")));
        // what a cancelled order refuses says so with the HTTP status in "status" (RFC 9457), the order's beside it
        // (the order's was once written over the HTTP status: found by EndpointBodyPropertiesIT)
        ship(id, "S-1", Map.of(1, 1)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.status").isEqualTo(409).jsonPath("$.orderStatus").isEqualTo("CANCELLED");
        asAdmin().post().uri("/v1/orders/{id}/approve", id).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.status").isEqualTo(409).jsonPath("$.orderStatus").isEqualTo("CANCELLED");
        downstreams.verify(1, postRequestedFor(urlPathEqualTo("/invoicing/invoices"))
                .withRequestBody(matchingJsonPath("$.kind", equalTo("CREDIT_NOTE")))
                .withRequestBody(matchingJsonPath("$.orderId", equalTo(id))));
        assertThat(reservedInPostgres(db, warehouse, sku)).isZero();
        assertStockConsistent(db, redis, warehouse);
        // a shipped-in-full order can no longer be cancelled; a cancelled one stays cancelled
        asAdmin().post().uri("/v1/orders/{id}/cancel", id).exchange().expectStatus().isOk();
    }

    @Test
    void aDiscountAboveTheThresholdWaitsForAnApprover() {
        Map<String, Object> body = order(unique("PO"), warehouse, sku, 1);
        body = with(body, "lines", List.of(Map.of("sku", sku, "quantity", 1, "unitPrice", "100.00", "discountPercent", "35")));
        String id = orders.place(body);

        assertThat(orders.status(id)).isEqualTo("PENDING_APPROVAL");
        as(issueToken("user", List.of("approver"), List.of())).post().uri("/v1/orders/{id}/approve", id).exchange()
                .expectStatus().isOk();

        orders.awaitStatus(id, "RELEASED");
        assertThat(orders.timelineTypes(id)).containsSubsequence("order.pending_approval", "order.accepted", "order.released");
    }

    @Test
    void aRefusalFromDownstreamPutsTheOrderInTheExceptionQueueUntilAnOperatorRetries() {
        downstreams.stubFor(post(urlPathEqualTo("/invoicing/invoices"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(400).withBody("{\"error\":\"unknown customer\"}")));
        String id = orders.place(with(order(unique("PO"), warehouse, sku, 1), "invoicingPolicy", "ON_RELEASE"));

        orders.awaitStatus(id, "EXCEPTION");
        WebTestClient operator = as(issueToken("user", List.of("operator"), List.of()));
        operator.get().uri("/v1/exceptions?limit=500").exchange()
                .expectStatus().isOk()
                .expectBody(Map.class)
                .value(queue -> assertThat(queue.toString()).contains(id).contains("INVOICE").contains("400"));

        Downstreams.healthy();
        operator.post().uri("/v1/orders/{id}/retry", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("RELEASED");
        orders.waitUntil(id, order -> steps(order).stream().allMatch(step -> "SUCCEEDED".equals(step.get("state"))));
    }

    private WebTestClient.ResponseSpec ship(String orderId, String shipmentId, Map<Integer, Integer> units) {
        List<Map<String, Object>> lines = units.entrySet().stream()
                .map(entry -> Map.<String, Object>of("lineNo", entry.getKey(), "quantity", entry.getValue())).toList();
        return warehouseClerk.post().uri("/v1/orders/{id}/shipments", orderId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("shipmentId", shipmentId, "lines", lines, "carrier", "UPS", "trackingNumber", "1Z"))
                .exchange();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> order) {
        return (List<Map<String, Object>>) order.getOrDefault("steps", List.of());
    }
}
