package dev.orderflow.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Duration;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The stock invariants, checked straight against the stores: in PostgreSQL 0 <= reserved <= on-hand
 * for every SKU; and, once quiet, Redis available == on-hand - open reservations in PostgreSQL.
 */
public final class StockAssertions {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private StockAssertions() {
    }

    /** Reserved units of one SKU, summed over all open order lines, per PostgreSQL. */
    public static long reservedInPostgres(DatabaseClient db, String warehouse, String sku) {
        return db.sql("SELECT coalesce(sum(reserved), 0) FROM order_line WHERE warehouse = :w AND sku = :s")
                .bind("w", warehouse).bind("s", sku)
                .map(row -> ((Number) row.get(0)).longValue())
                .one()
                .block(WAIT);
    }

    public static long onHand(DatabaseClient db, String warehouse, String sku) {
        return db.sql("SELECT on_hand FROM stock_item WHERE warehouse = :w AND sku = :s")
                .bind("w", warehouse).bind("s", sku)
                .map(row -> row.get(0, Long.class))
                .one()
                .block(WAIT);
    }

    public static Long availableInRedis(RedisClusterReactiveCommands<String, String> redis, String warehouse, String sku) {
        String value = redis.hget("{wh:" + warehouse + "}:avail", sku).block(WAIT);
        return value == null ? null : Long.parseLong(value);
    }

    /** Every SKU of the warehouse obeys the invariants. */
    public static void assertStockConsistent(DatabaseClient db, RedisClusterReactiveCommands<String, String> redis,
            String warehouse) {
        Map<String, Long> onHand = db.sql("SELECT sku, on_hand FROM stock_item WHERE warehouse = :w")
                .bind("w", warehouse)
                .map(row -> Map.entry(row.get("sku", String.class), row.get("on_hand", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .block(WAIT);
        assertThat(onHand).as("stock items of %s", warehouse).isNotEmpty();
        onHand.forEach((sku, units) -> {
            long reserved = reservedInPostgres(db, warehouse, sku);
            assertThat(reserved).as("reserved %s", sku).isBetween(0L, units);
            Long available = availableInRedis(redis, warehouse, sku);
            if (available != null) {
                assertThat(available).as("Redis available of %s == on-hand %d - reserved %d", sku, units, reserved)
                        .isEqualTo(units - reserved);
            }
        });
    }
}
