package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.support.Cursor;
import dev.orderflow.orchestration.support.Json;
import dev.orderflow.orchestration.support.Page;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Orders in PostgreSQL. Inserts take a batch and write every table with one call over arrays
 * ({@code unnest} in a database function, see {@link IntakeInsert}), whatever the batch size: the
 * cost of a commit is shared by every order in it. Conflicts (a taken idempotency key, a taken
 * external reference) skip that order, not the batch.
 */
public class Orders {

    private static final String ORDER_COLUMNS = "id, channel, external_ref, customer_id, currency, warehouse, "
            + "fulfillment_policy, invoicing_policy, status, total, ship_to::text AS ship_to, created_at, updated_at";

    private final DatabaseClient db;

    public Orders(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Stores the orders that take both their idempotency key and their external reference, if the
     * warehouse's stock generation is still {@code generation}; empty, storing nothing, if it is not
     * or if the stock lock took longer than {@code waitBudget}. One call that takes the stock lock
     * itself: on its own it is its own transaction; inside the caller's, the lock is held to its end.
     */
    public Mono<List<InsertOutcome>> insert(String warehouse, long generation, Duration waitBudget, List<PreparedOrder> batch) {
        return IntakeInsert.run(db, warehouse, generation, waitBudget, batch)
                .filter(IntakeInsert.Result::current)
                .flatMap(result -> outcomes(batch, result.keyed(), result.stored()));
    }

    public Mono<Order> find(UUID id) {
        return db.sql("SELECT " + ORDER_COLUMNS + " FROM orders WHERE id = :id")
                .bind("id", id)
                .map(Orders::readHeader)
                .one()
                .flatMap(this::withLines);
    }

    /**
     * Orders visible to the caller, newest last, after the cursor.
     *
     * @param channels the caller's channels, or null for every channel
     */
    public Mono<Page<Order>> list(Set<String> channels, OrderStatus status, String externalRef, String cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + ORDER_COLUMNS + " FROM orders WHERE id > :after");
        if (channels != null) {
            sql.append(" AND channel = ANY(:channels)");
        }
        if (status != null) {
            sql.append(" AND status = :status");
        }
        if (externalRef != null) {
            sql.append(" AND external_ref = :externalRef");
        }
        sql.append(" ORDER BY id LIMIT :limit");
        DatabaseClient.GenericExecuteSpec query = db.sql(sql.toString())
                .bind("after", Cursor.decode(cursor).orElse(new UUID(0, 0)))
                .bind("limit", limit + 1);
        if (channels != null) {
            query = query.bind("channels", channels.toArray(String[]::new));
        }
        if (status != null) {
            query = query.bind("status", status.name());
        }
        if (externalRef != null) {
            query = query.bind("externalRef", externalRef);
        }
        return query.map(Orders::readHeader)
                .all()
                .concatMap(this::withLines)
                .collectList()
                .map(rows -> Page.of(rows, limit, Order::id));
    }

    public Flux<OrderEvent> timeline(UUID orderId) {
        return db.sql("SELECT id, order_id, order_seq, channel, type, actor, data::text AS data, created_at"
                        + " FROM order_event WHERE order_id = :id ORDER BY order_seq")
                .bind("id", orderId)
                .map(row -> new OrderEvent(row.get("id", UUID.class), row.get("order_id", UUID.class),
                        row.get("order_seq", Integer.class), row.get("channel", String.class), row.get("type", String.class),
                        row.get("actor", String.class), row.get("data", String.class),
                        row.get("created_at", OffsetDateTime.class).toInstant()))
                .all();
    }

    /** Which of these orders are stored. */
    public Mono<Set<UUID>> existing(java.util.Collection<UUID> ids) {
        return db.sql("SELECT id FROM orders WHERE id = ANY(:ids)")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(row -> row.get(0, UUID.class))
                .all()
                .collect(Collectors.toSet());
    }

    public Mono<UUID> idByExternalRef(String channel, String externalRef) {
        return db.sql("SELECT id FROM orders WHERE channel = :channel AND external_ref = :ref")
                .bind("channel", channel)
                .bind("ref", externalRef)
                .map(row -> row.get(0, UUID.class))
                .one();
    }

    private Mono<List<InsertOutcome>> outcomes(List<PreparedOrder> batch, Set<UUID> keyed, Set<UUID> stored) {
        if (stored.size() == batch.size()) {
            return Mono.just(batch.stream().map(order -> (InsertOutcome) new InsertOutcome.Inserted(order.draft().id())).toList());
        }
        return Flux.fromIterable(batch)
                .concatMap(order -> outcome(order, keyed, stored))
                .collectList();
    }

    private Mono<InsertOutcome> outcome(PreparedOrder order, Set<UUID> keyed, Set<UUID> stored) {
        UUID id = order.draft().id();
        if (stored.contains(id)) {
            return Mono.just(new InsertOutcome.Inserted(id));
        }
        if (!keyed.contains(id)) {
            return Mono.just(new InsertOutcome.KeyTaken(id));
        }
        return idByExternalRef(order.draft().channel(), order.draft().externalRef())
                .map(existing -> (InsertOutcome) new InsertOutcome.ExternalRefTaken(id, existing))
                // the holder of the reference committed and was deleted since: treat as a lost race, retryable
                .defaultIfEmpty(new InsertOutcome.KeyTaken(id));
    }

    private Mono<Order> withLines(Order header) {
        return db.sql("SELECT line_no, sku, quantity, unit_price, discount_percent, reserved, backordered, shipped, invoiced, warehouse"
                        + " FROM order_line WHERE order_id = :id ORDER BY line_no")
                .bind("id", header.id())
                .map(row -> new OrderLine(row.get("line_no", Integer.class), row.get("sku", String.class),
                        row.get("quantity", Integer.class), row.get("unit_price", BigDecimal.class),
                        row.get("discount_percent", BigDecimal.class), row.get("reserved", Integer.class),
                        row.get("backordered", Integer.class), row.get("shipped", Integer.class), row.get("invoiced", Integer.class),
                        row.get("warehouse", String.class)))
                .all()
                .collectList()
                .map(lines -> new Order(header.id(), header.channel(), header.externalRef(), header.customerId(),
                        header.currency(), header.warehouse(), header.fulfillmentPolicy(), header.invoicingPolicy(),
                        header.status(), header.total(), header.shipTo(), lines, header.createdAt(), header.updatedAt()));
    }

    private static Order readHeader(Readable row) {
        return new Order(row.get("id", UUID.class), row.get("channel", String.class), row.get("external_ref", String.class),
                row.get("customer_id", String.class), row.get("currency", String.class), row.get("warehouse", String.class),
                FulfillmentPolicy.valueOf(row.get("fulfillment_policy", String.class)),
                InvoicingPolicy.valueOf(row.get("invoicing_policy", String.class)),
                OrderStatus.valueOf(row.get("status", String.class)), row.get("total", BigDecimal.class),
                Json.readObject(row.get("ship_to", String.class)), List.of(),
                row.get("created_at", OffsetDateTime.class).toInstant(), row.get("updated_at", OffsetDateTime.class).toInstant());
    }
}
