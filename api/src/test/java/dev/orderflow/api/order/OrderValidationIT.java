package dev.orderflow.api.order;

import static dev.orderflow.api.support.OrderflowClient.order;
import static dev.orderflow.api.support.OrderflowClient.post;
import static dev.orderflow.api.support.OrderflowClient.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/** Bad orders get a problem naming every broken field, and leave nothing behind. */
class OrderValidationIT extends IntegrationTest {

    @Autowired
    DatabaseClient db;

    String warehouse;
    String sku;
    String channel;
    String token;

    @BeforeEach
    void stockAWarehouse() {
        warehouse = unique("W");
        sku = unique("SKU");
        channel = unique("shop");
        stock(warehouse, sku, 10);
        token = issueToken("channel", List.of("channel"), List.of(channel));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyBrokenFieldIsListed() {
        Map<String, Object> body = Map.of("currency", "usd", "lines",
                List.of(Map.of("sku", sku, "quantity", 0, "unitPrice", "-1")));

        EntityExchangeResult<Map> answer = post(as(token), "v-1", body);

        assertThat(answer.getStatus().value()).isEqualTo(400);
        List<Map<String, String>> errors = (List<Map<String, String>>) answer.getResponseBody().get("errors");
        assertThat(errors).extracting(error -> error.get("field"))
                .contains("externalRef", "customerId", "currency", "lines[0].quantity", "lines[0].unitPrice");
        assertThat(answer.getResponseBody()).containsEntry("status", 400);
    }

    @Test
    void textWithANulCharacterIsRefusedNamingTheFieldNotStoredAsA500() {
        // U+0000 is valid JSON (as an escape) but PostgreSQL cannot store it: this reached the database
        String nulInShipTo = "{\"externalRef\": \"PO-NUL\", \"customerId\": \"C-100\", \"currency\": \"USD\", \"warehouse\": \""
                + warehouse + "\", \"shipTo\": {\"name\": \"Dock\\u00004\"}, \"lines\": [{\"sku\": \"" + sku
                + "\", \"quantity\": 1, \"unitPrice\": \"1.00\"}]}";

        as(token).post().uri("/v1/orders").header("Idempotency-Key", "nul-1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(nulInShipTo)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("'shipTo.name'", "U+0000"));
        assertThat(ordersWithRef("PO-NUL")).isZero();

        // every JSON body, not orders only: a principal's name
        asAdmin().post().uri("/v1/admin/principals").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"web\\u0000shop\", \"kind\": \"channel\", \"roles\": [\"channel\"], \"channels\": [\"x\"]}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("'name'"));
    }

    @Test
    void halfASurrogatePairIsRefusedNamingTheFieldAndAWholePairIsKept() {
        // "\ud800" then U+0085 reached PostgreSQL as an invalid UTF-8 byte (a 500); before ASCII it became '?'
        String body = "{\"externalRef\": \"PO-SUR\", \"customerId\": \"C-100\", \"currency\": \"USD\", \"warehouse\": \"%s\","
                + " \"shipTo\": {\"name\": \"%s\"}, \"lines\": [{\"sku\": \"%s\", \"quantity\": 1, \"unitPrice\": \"1.00\"}]}";
        for (String half : List.of("Dock \\ud800\\u0085", "Dock \\ud800A", "Dock \\udce6", "Dock \\ud83d")) {
            as(token).post().uri("/v1/orders").header("Idempotency-Key", "sur-" + half.hashCode())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body.formatted(warehouse, half, sku))
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("'shipTo.name'", "unpaired surrogate"));
        }
        assertThat(ordersWithRef("PO-SUR")).isZero();

        // a whole pair is one character (U+1F4E6), stored as it came
        String id = as(token).post().uri("/v1/orders").header("Idempotency-Key", "sur-pair")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body.formatted(warehouse, "Dock \\ud83d\\udce6", sku))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
        as(token).get().uri("/v1/orders/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.shipTo.name").isEqualTo("Dock \ud83d\udce6");
    }

    @Test
    void aFractionalQuantityIsRefusedNotRoundedDown() {
        EntityExchangeResult<Map> answer = post(as(token), "frac-1", order("PO-FRAC", warehouse, sku, 1.5));

        assertThat(answer.getStatus().value()).isEqualTo(400);
        assertThat((String) answer.getResponseBody().get("detail")).contains("lines[0].quantity");
        assertThat(ordersWithRef("PO-FRAC")).isZero();
    }

    @Test
    void tooManyLinesOrTooLargeQuantitiesAreRefused() {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            lines.add(Map.of("sku", sku, "quantity", 1, "unitPrice", "1.00"));
        }
        assertThat(post(as(token), "v-2", with(order("PO-V2", warehouse, sku, 1), "lines", lines)).getStatus().value())
                .isEqualTo(400);
        assertThat(post(as(token), "v-3", order("PO-V3", warehouse, sku, 100_001)).getStatus().value()).isEqualTo(400);
    }

    @Test
    void aTotalBeyondWhatIsStoredIs422NotAServerError() {
        // every line is within its limits; together they come to about 2 x 10^20
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add(Map.of("sku", sku, "quantity", 100_000, "unitPrice", "9999999999999.9999"));
        }
        EntityExchangeResult<Map> answer = post(as(token), "v-total", with(order("PO-TOTAL", warehouse, sku, 1), "lines", lines));

        assertThat(answer.getStatus().value()).isEqualTo(422);
        assertThat((String) answer.getResponseBody().get("detail")).contains("total");
        assertThat(db.sql("SELECT count(*) FROM orders WHERE channel = :c").bind("c", channel)
                .map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(5))).isZero();
    }

    @Test
    void anUnknownPolicyIsABadRequestNotAServerError() {
        EntityExchangeResult<Map> answer = post(as(token), "v-4", with(order("PO-V4", warehouse, sku, 1), "fulfillmentPolicy", "SOMETIMES"));

        assertThat(answer.getStatus().value()).isEqualTo(400);
        assertThat((String) answer.getResponseBody().get("detail")).contains("fulfillmentPolicy");
    }

    @Test
    @SuppressWarnings("unchecked")
    void unknownSkusAre422ListingThemAndNothingIsReserved() {
        EntityExchangeResult<Map> answer = post(as(token), "v-5", order("PO-V5", warehouse, sku, 2, "GHOST-1", 1, "GHOST-2", 1));

        assertThat(answer.getStatus().value()).isEqualTo(422);
        assertThat((List<String>) answer.getResponseBody().get("unknownSkus")).containsExactlyInAnyOrder("GHOST-1", "GHOST-2");
        assertThat(dev.orderflow.api.support.StockAssertions.reservedInPostgres(db, warehouse, sku)).isZero();
        assertThat(ordersWithRef("PO-V5")).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnknownWarehouseIs422() {
        EntityExchangeResult<Map> answer = post(as(token), "v-6", order("PO-V6", unique("NOWHERE"), sku, 1));

        assertThat(answer.getStatus().value()).isEqualTo(422);
        assertThat((List<String>) answer.getResponseBody().get("unknownWarehouses")).hasSize(1);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String huge = "{\"externalRef\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        as(token).post().uri("/v1/orders").header("Idempotency-Key", "v-7")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(huge)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void anotherChannelsOrderDoesNotExistForYou() {
        String id = (String) post(as(token), "v-8", order("PO-V8", warehouse, sku, 1)).getResponseBody().get("id");
        String stranger = issueToken("channel", List.of("channel"), List.of(unique("other-shop")));

        as(stranger).get().uri("/v1/orders/{id}", id).exchange().expectStatus().isNotFound();
        as(stranger).get().uri("/v1/orders/{id}/timeline", id).exchange().expectStatus().isNotFound();
        as(stranger).get().uri("/v1/orders?externalRef=PO-V8").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items.length()").isEqualTo(0);
        as(token).get().uri("/v1/orders?externalRef=PO-V8").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items[0].id").isEqualTo(id);
    }

    @Test
    void theTimelineSaysWhoDidWhat() {
        String id = (String) post(as(token), "v-9", order("PO-V9", warehouse, sku, 1)).getResponseBody().get("id");

        as(token).get().uri("/v1/orders/{id}/timeline", id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[0].type").isEqualTo("order.accepted")
                .jsonPath("$.items[0].sequence").isEqualTo(1)
                .jsonPath("$.items[0].actor").value(actor -> assertThat((String) actor).startsWith("channel-"))
                .jsonPath("$.items[0].data.orderId").isEqualTo(id);
    }

    @Test
    void listsArePagedWithACursor() {
        for (int i = 0; i < 5; i++) {
            post(as(token), "page-" + i, order("PO-P" + i, warehouse, sku, 1));
        }
        List<Object> seen = new ArrayList<>();
        String cursor = null;
        do {
            String uri = "/v1/orders?limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
            Map<?, ?> page = as(token).get().uri(uri).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            ((List<?>) page.get("items")).forEach(item -> seen.add(((Map<?, ?>) item).get("id")));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);

        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
    }

    private long ordersWithRef(String externalRef) {
        return db.sql("SELECT count(*) FROM orders WHERE channel = :c AND external_ref = :r")
                .bind("c", channel).bind("r", externalRef)
                .map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(5));
    }
}
