package dev.orderflow.api.inventory;

import static dev.orderflow.api.support.OrderflowClient.order;
import static dev.orderflow.api.support.OrderflowClient.post;
import static dev.orderflow.api.support.StockAssertions.assertStockConsistent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.orchestration.stock.Inventory;
import dev.orderflow.orchestration.stock.StockChange;
import dev.orderflow.orchestration.stock.StockRebuilder;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** Counts, receipts and adjustments: each a ledger row; never below what is reserved. */
class InventoryIT extends IntegrationTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    RedisClusterReactiveCommands<String, String> redis;

    @Autowired
    Inventory inventory;

    @Autowired
    StockRebuilder rebuilder;

    String warehouse;
    String sku;
    String warehouseToken;

    @BeforeEach
    void names() {
        warehouse = unique("W");
        sku = unique("SKU");
        warehouseToken = issueToken("user", List.of("warehouse"), List.of());
    }

    @Test
    void everyChangeIsALedgerRowAndAvailabilityAddsUp() {
        count(10).expectStatus().isOk();
        receipt(5).expectStatus().isOk();
        adjust(-2, "DAMAGED").expectStatus().isOk()
                .expectBody().jsonPath("$.onHand").isEqualTo(13);

        assertThat(ledgerKinds()).containsExactly("COUNT", "RECEIPT", "ADJUSTMENT");
        as(warehouseToken).get().uri("/v1/inventory/availability?sku={s}&warehouse={w}", sku, warehouse).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[0].onHand").isEqualTo(13)
                .jsonPath("$.items[0].reserved").isEqualTo(0)
                .jsonPath("$.items[0].available").isEqualTo(13);
    }

    @Test
    void aReceiptReachesRedisOnlyOnceItsTransactionCommitted() {
        count(10).expectStatus().isOk();
        rebuilder.rebuild(warehouse, true).block(Duration.ofSeconds(5));
        String available = "{wh:" + warehouse + "}:avail";
        AtomicReference<String> seenBeforeCommit = new AtomicReference<>();
        // the transaction fails after the receipt was written: as a crash or a lost connection before the commit would
        Mono<Void> failingAuditEntry = redis.hget(available, sku)
                .doOnNext(seenBeforeCommit::set)
                .then(Mono.error(new IllegalStateException("the audit entry could not be written")));

        Throwable failure = inventory.apply(warehouse, List.of(StockChange.receipt(warehouse, sku, 5, "R-FAILS", "test")), failingAuditEntry)
                .then(Mono.<Throwable>empty())
                .onErrorResume(Mono::just)
                .block(Duration.ofSeconds(5));

        assertThat(failure).hasMessageContaining("audit entry");
        // had the process died there, Redis would have kept units PostgreSQL never had
        assertThat(seenBeforeCommit.get()).as("Redis available before the commit").isEqualTo("10");
        assertThat(redis.hget(available, sku).block(Duration.ofSeconds(5))).isEqualTo("10");

        inventory.apply(warehouse, List.of(StockChange.receipt(warehouse, sku, 5, "R-COMMITS", "test"))).block(Duration.ofSeconds(5));
        assertThat(redis.hget(available, sku).block(Duration.ofSeconds(5))).as("Redis available after the commit").isEqualTo("15");
    }

    @Test
    void anAdjustmentNeedsAReasonCode() {
        count(10).expectStatus().isOk();
        as(warehouseToken).post().uri("/v1/inventory/adjustments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("warehouse", warehouse, "sku", sku, "delta", -1))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("reason");
    }

    @Test
    void stockCannotGoBelowWhatOrdersHaveReserved() {
        count(5).expectStatus().isOk();
        String channel = channelToken();
        post(as(channel), unique("k"), order(unique("PO"), warehouse, sku, 4));

        adjust(-2, "LOST").expectStatus().isEqualTo(409);
        count(3).expectStatus().isEqualTo(409);

        assertThat(onHand()).isEqualTo(5);
        assertThat(ledgerKinds()).containsExactly("COUNT");
        adjust(-1, "LOST").expectStatus().isOk();
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void receiptsAndAdjustmentsOfUnknownItemsAre422() {
        receipt(5).expectStatus().isEqualTo(422);
        adjust(1, "FOUND").expectStatus().isEqualTo(422);
    }

    @Test
    void channelsMayNotChangeStock() {
        String channel = channelToken();
        as(channel).put().uri("/v1/inventory/{w}/{s}", warehouse, sku)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("onHand", 1, "reason", "CYCLE_COUNT"))
                .exchange()
                .expectStatus().isForbidden();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec count(int onHand) {
        return as(warehouseToken).put().uri("/v1/inventory/{w}/{s}", warehouse, sku)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("onHand", onHand, "reason", "CYCLE_COUNT"))
                .exchange();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec receipt(int quantity) {
        return as(warehouseToken).post().uri("/v1/inventory/receipts")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("warehouse", warehouse, "reference", "ASN-9", "lines", List.of(Map.of("sku", sku, "quantity", quantity))))
                .exchange();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec adjust(int delta, String reason) {
        return as(warehouseToken).post().uri("/v1/inventory/adjustments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("warehouse", warehouse, "sku", sku, "delta", delta, "reason", reason))
                .exchange();
    }

    private List<String> ledgerKinds() {
        return db.sql("SELECT kind FROM stock_movement WHERE warehouse = :w AND sku = :s ORDER BY id")
                .bind("w", warehouse).bind("s", sku)
                .map(row -> row.get(0, String.class)).all().collectList().block(Duration.ofSeconds(5));
    }

    private long onHand() {
        return dev.orderflow.api.support.StockAssertions.onHand(db, warehouse, sku);
    }
}
