package dev.orderflow.api.inventory;

import static dev.orderflow.api.support.OrderflowClient.order;
import static dev.orderflow.api.support.OrderflowClient.post;
import static dev.orderflow.api.support.StockAssertions.assertStockConsistent;
import static dev.orderflow.api.support.StockAssertions.availableInRedis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.orchestration.stock.ReservationRequest;
import dev.orderflow.orchestration.stock.ReservationResult;
import dev.orderflow.orchestration.stock.Reservations;
import dev.orderflow.orchestration.stock.StockReconciler;
import dev.orderflow.orchestration.support.Ids;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/** Redis drifting from PostgreSQL is measured, exposed as a metric, and repaired when it persists. */
class StockReconcilerIT extends IntegrationTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    RedisClusterReactiveCommands<String, String> redis;

    @Autowired
    StockReconciler reconciler;

    @Autowired
    Reservations reservations;

    @Test
    void driftIsReportedThenRepairedWhenSeenTwice() {
        String warehouse = unique("W");
        String sku = unique("SKU");
        stock(warehouse, sku, 20);
        String token = channelToken();
        post(as(token), unique("k"), order(unique("PO"), warehouse, sku, 5));
        assertThat(reconciler.reconcile(warehouse).block(Duration.ofSeconds(10))).isZero();

        // something outside Orderflow hands out 3 phantom units
        redis.hincrby("{wh:" + warehouse + "}:avail", sku, 3).block();

        assertThat(reconciler.reconcile(warehouse).block(Duration.ofSeconds(10))).isEqualTo(3);
        assertThat(availableInRedis(redis, warehouse, sku)).as("seen once: reported, not yet acted on").isEqualTo(18);
        http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .value(metrics -> assertThat(metrics).containsPattern(
                        "orderflow_stock_drift_units\\{[^}]*warehouse=\"" + warehouse + "\"[^}]*} 3\\.0"));

        reconciler.reconcile(warehouse).block(Duration.ofSeconds(10));

        assertThat(availableInRedis(redis, warehouse, sku)).isEqualTo(15);
        assertThat(reconciler.reconcile(warehouse).block(Duration.ofSeconds(10))).isZero();
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void unitsHeldForAnOrderNotYetCommittedAreNotDriftButThoseOfACommittedOrderCountOnce() {
        String warehouse = unique("W");
        String sku = unique("SKU");
        stock(warehouse, sku, 20);
        String token = channelToken();
        post(as(token), unique("k"), order(unique("PO"), warehouse, sku, 5));
        // an order between its reservation and its commit: Redis holds 4 units for it, PostgreSQL nothing yet
        UUID inFlight = Ids.next();
        ReservationRequest request = new ReservationRequest(inFlight, false, unique("marker"), List.of(new ReservationRequest.Demand(sku, 4)));
        assertThat(reservations.reserve(warehouse, List.of(request)).block(Duration.ofSeconds(10)))
                .singleElement().isInstanceOf(ReservationResult.Reserved.class);

        assertThat(reconciler.driftBySku(warehouse).block(Duration.ofSeconds(10))).isEmpty();

        reservations.release(warehouse, List.of(inFlight)).block(Duration.ofSeconds(10));
        assertThat(reconciler.driftBySku(warehouse).block(Duration.ofSeconds(10))).isEmpty();
        assertThat(availableInRedis(redis, warehouse, sku)).isEqualTo(15);
    }

    @Test
    void redisLeftAtAGenerationPostgresNeverCommittedIsRebuiltAtOnce() {
        String warehouse = unique("W");
        String sku = unique("SKU");
        stock(warehouse, sku, 20);
        String token = channelToken();
        post(as(token), unique("k"), order(unique("PO"), warehouse, sku, 5));
        long generation = db.sql("SELECT generation FROM stock_generation WHERE warehouse = :w").bind("w", warehouse)
                .map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(5));

        // a rebuild timed out and rolled back, but its slow write to Redis landed afterwards
        redis.set("{wh:" + warehouse + "}:gen", Long.toString(generation + 1)).block(Duration.ofSeconds(5));

        reconciler.reconcile(warehouse).block(Duration.ofSeconds(10));

        long inPostgres = db.sql("SELECT generation FROM stock_generation WHERE warehouse = :w").bind("w", warehouse)
                .map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(5));
        assertThat(redis.get("{wh:" + warehouse + "}:gen").block(Duration.ofSeconds(5))).isEqualTo(Long.toString(inPostgres));
        // orders reserved in Redis commit again (they were refused as stale before the repair)
        assertThat(post(as(token), unique("k"), order(unique("PO"), warehouse, sku, 5)).getStatus().value()).isEqualTo(201);
        assertThat(availableInRedis(redis, warehouse, sku)).isEqualTo(10);
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void aWarehouseRebuiltMoreThan127TimesIsStillCompared() {
        String warehouse = unique("W");
        String sku = unique("SKU");
        stock(warehouse, sku, 20);
        post(as(channelToken()), unique("k"), order(unique("PO"), warehouse, sku, 5));
        // generations are Longs: beyond the boxing cache (127) an identity comparison says "different"
        db.sql("UPDATE stock_generation SET generation = 1000 WHERE warehouse = :w").bind("w", warehouse).then().block(Duration.ofSeconds(5));
        redis.set("{wh:" + warehouse + "}:gen", "1000").block(Duration.ofSeconds(5));
        redis.hincrby("{wh:" + warehouse + "}:avail", sku, 3).block(Duration.ofSeconds(5));

        assertThat(reconciler.reconcile(warehouse).block(Duration.ofSeconds(10))).as("drift measured").isEqualTo(3);
        assertThat(redis.get("{wh:" + warehouse + "}:gen").block(Duration.ofSeconds(5))).as("not rebuilt on sight").isEqualTo("1000");
    }
}
