package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.support.Cursor;
import dev.orderflow.orchestration.support.Json;
import dev.orderflow.orchestration.support.Page;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import dev.orderflow.orchestration.step.Steps;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Orders in PostgreSQL. Inserts take a batch and write each table with one statement over arrays
 * ({@code unnest}), whatever the batch size: the cost of a commit is shared by every order in it.
 * Conflicts (a taken idempotency key, a taken external reference) skip that order, not the batch.
 */
public class Orders {

    private static final String ORDER_COLUMNS = "id, channel, external_ref, customer_id, currency, warehouse, "
            + "fulfillment_policy, invoicing_policy, status, total, ship_to::text AS ship_to, created_at, updated_at";

    private final DatabaseClient db;
    private final Steps steps;

    public Orders(DatabaseClient db, Steps steps) {
        this.db = db;
        this.steps = steps;
    }

    /** Stores the orders that take both their idempotency key and their external reference. Run in a transaction. */
    public Mono<List<InsertOutcome>> insert(List<PreparedOrder> batch) {
        return claimIdempotencyKeys(batch)
                .flatMap(keyed -> insertHeaders(batch, keyed)
                        .flatMap(stored -> releaseKeysOfUnstored(batch, keyed, stored)
                                .then(insertDetails(batch, stored))
                                .then(outcomes(batch, keyed, stored))));
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

    private Mono<Set<UUID>> claimIdempotencyKeys(List<PreparedOrder> batch) {
        return db.sql("""
                        INSERT INTO idempotency_record (principal_id, key, request_hash, status, response, order_id, created_at)
                        SELECT p, k, decode(h, 'hex'), 201, r, o, :now
                        FROM unnest(CAST(:principals AS uuid[]), CAST(:keys AS text[]), CAST(:hashes AS text[]),
                                    CAST(:responses AS text[]), CAST(:orders AS uuid[])) AS t(p, k, h, r, o)
                        ON CONFLICT DO NOTHING
                        RETURNING order_id""")
                .bind("principals", column(batch, order -> order.draft().principalId(), UUID[]::new))
                .bind("keys", column(batch, order -> order.draft().idempotencyKey(), String[]::new))
                .bind("hashes", column(batch, order -> HexFormat.of().formatHex(order.draft().requestHash()), String[]::new))
                .bind("responses", column(batch, PreparedOrder::response, String[]::new))
                .bind("orders", column(batch, order -> order.draft().id(), UUID[]::new))
                .bind("now", now(batch))
                .map(row -> row.get(0, UUID.class))
                .all()
                .collect(Collectors.toSet());
    }

    private Mono<Set<UUID>> insertHeaders(List<PreparedOrder> batch, Set<UUID> keyed) {
        List<PreparedOrder> candidates = batch.stream().filter(order -> keyed.contains(order.draft().id())).toList();
        if (candidates.isEmpty()) {
            return Mono.just(Set.of());
        }
        return db.sql("""
                        INSERT INTO orders (id, channel, external_ref, customer_id, currency, warehouse, fulfillment_policy,
                                            invoicing_policy, status, total, ship_to, created_by, created_at, updated_at, event_seq,
                                            needs_approval, origin)
                        SELECT i, ch, ref, cust, cur, wh, fp, ip, st, CAST(tot AS numeric), CAST(ship AS jsonb), who, :now, :now, 1, na,
                               CAST(org AS jsonb)
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:channels AS text[]), CAST(:refs AS text[]),
                                    CAST(:customers AS text[]), CAST(:currencies AS text[]), CAST(:warehouses AS text[]),
                                    CAST(:fulfillment AS text[]), CAST(:invoicing AS text[]), CAST(:statuses AS text[]),
                                    CAST(:totals AS text[]), CAST(:shipTos AS text[]), CAST(:actors AS text[]),
                                    CAST(:approvals AS boolean[]), CAST(:origins AS text[]))
                             AS t(i, ch, ref, cust, cur, wh, fp, ip, st, tot, ship, who, na, org)
                        ON CONFLICT (channel, external_ref) DO NOTHING
                        RETURNING id""")
                .bind("ids", column(candidates, order -> order.draft().id(), UUID[]::new))
                .bind("channels", column(candidates, order -> order.draft().channel(), String[]::new))
                .bind("refs", column(candidates, order -> order.draft().externalRef(), String[]::new))
                .bind("customers", column(candidates, order -> order.draft().customerId(), String[]::new))
                .bind("currencies", column(candidates, order -> order.draft().currency(), String[]::new))
                .bind("warehouses", column(candidates, order -> order.draft().warehouse(), String[]::new))
                .bind("fulfillment", column(candidates, order -> order.draft().fulfillmentPolicy().name(), String[]::new))
                .bind("invoicing", column(candidates, order -> order.draft().invoicingPolicy().name(), String[]::new))
                .bind("statuses", column(candidates, order -> order.status().name(), String[]::new))
                .bind("totals", column(candidates, order -> order.draft().total().toPlainString(), String[]::new))
                .bind("shipTos", column(candidates, order -> order.draft().shipTo() == null ? null : Json.write(order.draft().shipTo()), String[]::new))
                .bind("actors", column(candidates, order -> order.draft().actor(), String[]::new))
                .bind("approvals", column(candidates, PreparedOrder::needsApproval, Boolean[]::new))
                .bind("origins", column(candidates, order -> order.draft().origin(), String[]::new))
                .bind("now", now(batch))
                .map(row -> row.get(0, UUID.class))
                .all()
                .collect(Collectors.toSet());
    }

    /** An order that took its key but lost on its external reference leaves nothing behind. */
    private Mono<Void> releaseKeysOfUnstored(List<PreparedOrder> batch, Set<UUID> keyed, Set<UUID> stored) {
        List<PreparedOrder> unstored = batch.stream()
                .filter(order -> keyed.contains(order.draft().id()) && !stored.contains(order.draft().id()))
                .toList();
        if (unstored.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("DELETE FROM idempotency_record WHERE order_id = ANY(:orders)")
                .bind("orders", column(unstored, order -> order.draft().id(), UUID[]::new))
                .then();
    }

    private Mono<Void> insertDetails(List<PreparedOrder> batch, Set<UUID> stored) {
        List<PreparedOrder> orders = batch.stream().filter(order -> stored.contains(order.draft().id())).toList();
        if (orders.isEmpty()) {
            return Mono.empty();
        }
        return insertLines(orders)
                .then(insertReservationLedger(orders))
                .then(insertEvents(orders))
                .then(steps.insert(orders.stream().flatMap(order -> order.firstSteps().stream()).toList()));
    }

    private Mono<Void> insertLines(List<PreparedOrder> orders) {
        List<UUID> ids = new ArrayList<>();
        List<LineAllocation> lines = new ArrayList<>();
        List<String> warehouses = new ArrayList<>();
        for (PreparedOrder order : orders) {
            for (LineAllocation line : order.allocations()) {
                ids.add(order.draft().id());
                lines.add(line);
                warehouses.add(order.draft().warehouse());
            }
        }
        return db.sql("""
                        INSERT INTO order_line (order_id, line_no, warehouse, sku, quantity, unit_price, discount_percent,
                                                reserved, backordered)
                        SELECT o, n, wh, sku, q, CAST(price AS numeric), CAST(disc AS numeric), r, b
                        FROM unnest(CAST(:orders AS uuid[]), CAST(:lineNos AS int[]), CAST(:warehouses AS text[]),
                                    CAST(:skus AS text[]), CAST(:quantities AS int[]), CAST(:prices AS text[]),
                                    CAST(:discounts AS text[]), CAST(:reserved AS int[]), CAST(:backordered AS int[]))
                             AS t(o, n, wh, sku, q, price, disc, r, b)""")
                .bind("orders", ids.toArray(UUID[]::new))
                .bind("lineNos", lines.stream().map(line -> line.line().lineNo()).toArray(Integer[]::new))
                .bind("warehouses", warehouses.toArray(String[]::new))
                .bind("skus", lines.stream().map(line -> line.line().sku()).toArray(String[]::new))
                .bind("quantities", lines.stream().map(line -> line.line().quantity()).toArray(Integer[]::new))
                .bind("prices", lines.stream().map(line -> line.line().unitPrice().toPlainString()).toArray(String[]::new))
                .bind("discounts", lines.stream().map(line -> line.line().discountPercent().toPlainString()).toArray(String[]::new))
                .bind("reserved", lines.stream().map(LineAllocation::reserved).toArray(Integer[]::new))
                .bind("backordered", lines.stream().map(LineAllocation::backordered).toArray(Integer[]::new))
                .then();
    }

    private Mono<Void> insertReservationLedger(List<PreparedOrder> orders) {
        List<UUID> ids = new ArrayList<>();
        List<Integer> lineNos = new ArrayList<>();
        List<String> warehouses = new ArrayList<>();
        List<String> skus = new ArrayList<>();
        List<Integer> quantities = new ArrayList<>();
        for (PreparedOrder order : orders) {
            for (LineAllocation line : order.allocations()) {
                if (line.reserved() > 0) {
                    ids.add(order.draft().id());
                    lineNos.add(line.line().lineNo());
                    warehouses.add(order.draft().warehouse());
                    skus.add(line.line().sku());
                    quantities.add(line.reserved());
                }
            }
        }
        if (ids.isEmpty()) {
            return Mono.empty();
        }
        return ReservationLedger.insert(db, ids.toArray(UUID[]::new), ids.toArray(UUID[]::new), lineNos.toArray(Integer[]::new),
                warehouses.toArray(String[]::new), skus.toArray(String[]::new), quantities.toArray(Integer[]::new),
                ReservationLedger.RESERVE, now(orders));
    }

    private Mono<Void> insertEvents(List<PreparedOrder> orders) {
        return EventLog.insert(db, orders.stream().map(PreparedOrder::firstEvent).toList());
    }

    private Mono<List<InsertOutcome>> outcomes(List<PreparedOrder> batch, Set<UUID> keyed, Set<UUID> stored) {
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

    private static OffsetDateTime now(List<PreparedOrder> batch) {
        return batch.get(0).draft().createdAt().atOffset(ZoneOffset.UTC);
    }

    private static <T> T[] column(List<PreparedOrder> batch, Function<PreparedOrder, T> value,
            java.util.function.IntFunction<T[]> array) {
        return batch.stream().map(value).toArray(array);
    }
}
