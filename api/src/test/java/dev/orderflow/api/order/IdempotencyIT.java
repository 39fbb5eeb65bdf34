package dev.orderflow.api.order;

import static dev.orderflow.api.support.OrderflowClient.order;
import static dev.orderflow.api.support.OrderflowClient.post;
import static dev.orderflow.api.support.OrderflowClient.postReactive;
import static dev.orderflow.api.support.StockAssertions.assertStockConsistent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderflowClient.Answer;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/** Idempotency-Key (IETF draft) and externalRef uniqueness: never a duplicate order. */
class IdempotencyIT extends IntegrationTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    RedisClusterReactiveCommands<String, String> redis;

    String warehouse;
    String sku;
    String channel;
    String token;

    @BeforeEach
    void stockAWarehouse() {
        warehouse = unique("W");
        sku = unique("SKU");
        channel = unique("shop");
        stock(warehouse, sku, 100);
        token = issueToken("channel", List.of("channel"), List.of(channel));
    }

    @Test
    void aReplayWithTheSameKeyAndBodyAnswersTheOriginalResponse() {
        Map<String, Object> body = order("PO-1", warehouse, sku, 2);
        EntityExchangeResult<Map> first = post(as(token), "key-1", body);
        EntityExchangeResult<Map> replay = post(as(token), "key-1", body);

        assertThat(first.getStatus().value()).isEqualTo(201);
        assertThat(replay.getStatus().value()).isEqualTo(201);
        assertThat(replay.getResponseBodyContent()).isEqualTo(first.getResponseBodyContent());
        assertThat(replay.getResponseHeaders().getLocation()).isEqualTo(first.getResponseHeaders().getLocation());
        assertThat(ordersWithRef("PO-1")).isEqualTo(1);
        // the replay reserved nothing more
        assertThat(reserved()).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndCreatesNothing() {
        post(as(token), "key-2", order("PO-2", warehouse, sku, 1));
        EntityExchangeResult<Map> other = post(as(token), "key-2", order("PO-2b", warehouse, sku, 1));

        assertThat(other.getStatus().value()).isEqualTo(422);
        assertThat(other.getResponseBody()).containsEntry("status", 422);
        assertThat(ordersWithRef("PO-2b")).isZero();
        assertThat(reserved()).isEqualTo(1);
    }

    @Test
    void aMissingOrOverlongKeyIs400() {
        as(token).post().uri("/v1/orders").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(order("PO-3", warehouse, sku, 1))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").value(type -> assertThat((String) type).endsWith("idempotency-key-required"));
        assertThat(post(as(token), "k".repeat(256), order("PO-3", warehouse, sku, 1)).getStatus().value()).isEqualTo(400);
        assertThat(ordersWithRef("PO-3")).isZero();
    }

    @Test
    void keysAreScopedToThePrincipal() {
        String otherToken = issueToken("channel", List.of("channel"), List.of(channel));
        EntityExchangeResult<Map> mine = post(as(token), "shared-key", order("PO-4", warehouse, sku, 1));
        EntityExchangeResult<Map> theirs = post(as(otherToken), "shared-key", order("PO-5", warehouse, sku, 1));

        assertThat(mine.getStatus().value()).isEqualTo(201);
        assertThat(theirs.getStatus().value()).isEqualTo(201);
        assertThat(theirs.getResponseBody().get("id")).isNotEqualTo(mine.getResponseBody().get("id"));
    }

    @Test
    void anExistingExternalRefWithANewKeyIs409NamingTheOrder() {
        EntityExchangeResult<Map> first = post(as(token), "key-6", order("PO-6", warehouse, sku, 3));
        EntityExchangeResult<Map> again = post(as(token), "key-7", order("PO-6", warehouse, sku, 3));

        assertThat(again.getStatus().value()).isEqualTo(409);
        assertThat(again.getResponseBody()).containsEntry("existingOrderId", first.getResponseBody().get("id"));
        // the loser's reservation was given back, and its key is free again
        assertThat(reserved()).isEqualTo(3);
        assertThat(post(as(token), "key-7", order("PO-7", warehouse, sku, 1)).getStatus().value()).isEqualTo(201);
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void aRefusedOrderLeavesNothingBehindAndItsKeyCanBeUsedAgain() {
        EntityExchangeResult<Map> refused = post(as(token), "key-8", order("PO-8", warehouse, "NO-SUCH-SKU", 1));
        EntityExchangeResult<Map> retried = post(as(token), "key-8", order("PO-8", warehouse, sku, 1));

        assertThat(refused.getStatus().value()).isEqualTo(422);
        assertThat(retried.getStatus().value()).isEqualTo(201);
        assertThat(ordersWithRef("PO-8")).isEqualTo(1);
    }

    @Test
    void duplicateKeysFiredConcurrentlyCreateOneOrder() {
        WebClient client = WebClient.builder().baseUrl("http://localhost:" + port).build();
        Map<String, Object> body = order("PO-9", warehouse, sku, 1);

        List<Answer> answers = Flux.range(0, 40)
                .flatMap(i -> postReactive(client, token, "key-9", body), 40)
                .collectList()
                .block(Duration.ofSeconds(60));

        // every answer is the order (first or replayed) or "still in flight"
        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isIn(201, 409));
        assertThat(answers.stream().filter(answer -> answer.status() == 201).map(answer -> answer.body().get("id")).distinct())
                .hasSize(1);
        assertThat(ordersWithRef("PO-9")).isEqualTo(1);
        assertThat(reserved()).isEqualTo(1);
        assertStockConsistent(db, redis, warehouse);
    }

    private long ordersWithRef(String externalRef) {
        return db.sql("SELECT count(*) FROM orders WHERE channel = :c AND external_ref = :r")
                .bind("c", channel).bind("r", externalRef)
                .map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(5));
    }

    private long reserved() {
        return dev.orderflow.api.support.StockAssertions.reservedInPostgres(db, warehouse, sku);
    }
}
