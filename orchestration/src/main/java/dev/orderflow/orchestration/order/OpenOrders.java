package dev.orderflow.orchestration.order;

import java.util.Arrays;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/**
 * How many orders are in each status that is not final, per channel: the work in progress, for the
 * {@code orderflow_orders_open} gauge. Read on a timer, never per request; final statuses are left
 * out because counting them would scan every order ever taken.
 */
public class OpenOrders {

    private static final String[] OPEN = Arrays.stream(OrderStatus.values())
            .filter(status -> !status.isFinal())
            .map(Enum::name)
            .toArray(String[]::new);

    private final DatabaseClient db;

    public OpenOrders(DatabaseClient db) {
        this.db = db;
    }

    /** One count per channel and open status. */
    public record Count(String channel, String status, long orders) {
    }

    public Flux<Count> count() {
        return db.sql("SELECT channel, status, count(*) AS orders FROM orders WHERE status = ANY(:open) GROUP BY channel, status")
                .bind("open", OPEN)
                .map(row -> new Count(row.get("channel", String.class), row.get("status", String.class), row.get("orders", Long.class)))
                .all();
    }
}
