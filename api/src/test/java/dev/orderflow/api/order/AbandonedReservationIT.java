package dev.orderflow.api.order;

import static dev.orderflow.api.support.OrderflowClient.order;
import static dev.orderflow.api.support.OrderflowClient.post;
import static dev.orderflow.api.support.StockAssertions.assertStockConsistent;
import static dev.orderflow.api.support.StockAssertions.availableInRedis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.orchestration.stock.ReservationRequest;
import dev.orderflow.orchestration.stock.ReservationResult;
import dev.orderflow.orchestration.stock.ReservationSweeper;
import dev.orderflow.orchestration.stock.Reservations;
import dev.orderflow.orchestration.stock.StockLock;
import dev.orderflow.orchestration.stock.WarehouseKeys;
import dev.orderflow.orchestration.support.Ids;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * A process that dies between reserving in Redis and committing in PostgreSQL leaves a pending
 * reservation behind. The sweeper gives its units back once its deadline has passed, and never
 * touches the reservations of orders that did commit.
 */
class AbandonedReservationIT extends IntegrationTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    TransactionalOperator tx;

    @Autowired
    RedisClusterReactiveCommands<String, String> redis;

    @Autowired
    Reservations reservations;

    String warehouse;
    String sku;
    String token;

    @BeforeEach
    void stockAWarehouse() {
        warehouse = unique("W");
        sku = unique("SKU");
        stock(warehouse, sku, 10);
        token = channelToken();
        // a first order loads the warehouse into Redis
        post(as(token), unique("k"), order(unique("PO"), warehouse, sku, 1));
    }

    @Test
    void aReservationWhoseOrderNeverCommittedIsReleasedAfterItsDeadline() {
        UUID crashed = reserveAsIfThenCrashed(4);
        assertThat(availableInRedis(redis, warehouse, sku)).isEqualTo(5);

        // before the deadline the sweeper leaves it alone: the order may still be committing
        assertThat(sweeperAt(Instant.now()).sweep(warehouse).block(Duration.ofSeconds(10))).isZero();
        assertThat(availableInRedis(redis, warehouse, sku)).isEqualTo(5);

        long released = sweeperAt(Instant.now().plus(Reservations.PENDING_DEADLINE).plusSeconds(1))
                .sweep(warehouse).block(Duration.ofSeconds(10));

        assertThat(released).isEqualTo(1);
        assertThat(availableInRedis(redis, warehouse, sku)).isEqualTo(9);
        assertThat(redis.exists(new WarehouseKeys(warehouse).reservation(crashed)).block()).isZero();
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void committedOrdersKeepTheirUnitsWhenSwept() {
        post(as(token), unique("k"), order(unique("PO"), warehouse, sku, 3));

        long released = sweeperAt(Instant.now().plus(Reservations.PENDING_DEADLINE).plusSeconds(1))
                .sweep(warehouse).block(Duration.ofSeconds(10));

        assertThat(released).isZero();
        assertThat(availableInRedis(redis, warehouse, sku)).isEqualTo(6);
        assertThat(redis.zcard(new WarehouseKeys(warehouse).pending()).block()).isZero();
        assertStockConsistent(db, redis, warehouse);
    }

    /** Reserves in Redis exactly as intake does, then "dies": no PostgreSQL transaction follows. */
    private UUID reserveAsIfThenCrashed(int units) {
        UUID orderId = Ids.next();
        ReservationRequest request = new ReservationRequest(orderId, false,
                new WarehouseKeys(warehouse).idempotencyMarker(UUID.randomUUID(), "crash"),
                List.of(new ReservationRequest.Demand(sku, units)));
        List<ReservationResult> results = reservations.reserve(warehouse, List.of(request)).block(Duration.ofSeconds(5));
        assertThat(results.get(0)).isInstanceOf(ReservationResult.Reserved.class);
        return orderId;
    }

    /** A sweeper whose clock reads {@code now}: the deadline test without waiting 30 seconds. */
    private ReservationSweeper sweeperAt(Instant now) {
        Reservations shifted = new Reservations(redis, Clock.fixed(now, ZoneOffset.UTC));
        return new ReservationSweeper(db, tx, new StockLock(db), shifted);
    }
}
