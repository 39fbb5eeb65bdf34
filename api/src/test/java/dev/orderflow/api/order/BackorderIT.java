package dev.orderflow.api.order;

import static dev.orderflow.api.support.OrderflowClient.order;
import static dev.orderflow.api.support.OrderflowClient.post;
import static dev.orderflow.api.support.OrderflowClient.with;
import static dev.orderflow.api.support.StockAssertions.assertStockConsistent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;

/** What cannot be reserved waits; receipts serve the oldest waiting orders first. */
class BackorderIT extends IntegrationTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    RedisClusterReactiveCommands<String, String> redis;

    String warehouse;
    String sku;
    String token;

    @BeforeEach
    void stockAWarehouse() {
        warehouse = unique("W");
        sku = unique("SKU");
        stock(warehouse, sku, 3);
        token = channelToken();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shipPartialReservesWhatIsThereAndBackordersTheRest() {
        Map<String, Object> answer = post(as(token), "b-1", order("PO-B1", warehouse, sku, 5)).getResponseBody();

        assertThat(answer).containsEntry("status", "ACCEPTED");
        Map<String, Object> line = ((List<Map<String, Object>>) answer.get("lines")).get(0);
        assertThat(line).containsEntry("reserved", 3).containsEntry("backordered", 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoLinesOfOneSkuShareTheStockInsteadOfEachSeeingAllOfIt() {
        Map<String, Object> answer = post(as(token), "b-2", order("PO-B2", warehouse, sku, 2, sku, 2)).getResponseBody();

        List<Map<String, Object>> lines = (List<Map<String, Object>>) answer.get("lines");
        assertThat(lines.get(0)).containsEntry("reserved", 2).containsEntry("backordered", 0);
        assertThat(lines.get(1)).containsEntry("reserved", 1).containsEntry("backordered", 1);
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void shipCompleteReservesNothingUnlessItCanReserveEverything() {
        String other = unique("SKU");
        stock(warehouse, other, 10);
        Map<String, Object> body = with(order("PO-B3", warehouse, sku, 4, other, 1), "fulfillmentPolicy", "SHIP_COMPLETE");

        Map<String, Object> answer = post(as(token), "b-3", body).getResponseBody();

        assertThat(answer).containsEntry("status", "BACKORDERED");
        assertThat(dev.orderflow.api.support.StockAssertions.reservedInPostgres(db, warehouse, other)).isZero();
        // one more unit of the short SKU completes it: now all of it is reserved at once
        receive(sku, 1);
        // no longer waiting (the engine may already have moved it on past ACCEPTED)
        assertThat(status((String) answer.get("id"))).isNotEqualTo("BACKORDERED");
        assertThat(dev.orderflow.api.support.StockAssertions.reservedInPostgres(db, warehouse, other)).isEqualTo(1);
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void receiptsServeTheOldestWaitingOrderFirstAndAnnounceIt() {
        post(as(token), "b-4", order("PO-B4", warehouse, sku, 3));
        String older = (String) post(as(token), "b-5", order("PO-B5", warehouse, sku, 2)).getResponseBody().get("id");
        String newer = (String) post(as(token), "b-6", order("PO-B6", warehouse, sku, 2)).getResponseBody().get("id");
        assertThat(status(older)).isEqualTo("BACKORDERED");
        assertThat(status(newer)).isEqualTo("BACKORDERED");

        receive(sku, 2);

        assertThat(status(older)).isNotEqualTo("BACKORDERED");
        assertThat(status(newer)).isEqualTo("BACKORDERED");
        as(token).get().uri("/v1/orders/{id}/timeline", older).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[0].type").isEqualTo("order.backordered")
                .jsonPath("$.items[1].type").isEqualTo("order.accepted")
                .jsonPath("$.items[1].sequence").isEqualTo(2);
        assertStockConsistent(db, redis, warehouse);
    }

    private void receive(String item, int quantity) {
        asAdmin().post().uri("/v1/inventory/receipts")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("warehouse", warehouse, "reference", "ASN-1", "lines", List.of(Map.of("sku", item, "quantity", quantity))))
                .exchange().expectStatus().isOk();
    }

    private String status(String orderId) {
        return (String) as(token).get().uri("/v1/orders/{id}", orderId).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("status");
    }
}
