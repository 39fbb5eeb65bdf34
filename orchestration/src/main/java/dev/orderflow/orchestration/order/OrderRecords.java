package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.support.DomainException;
import dev.orderflow.orchestration.support.Ids;
import dev.orderflow.orchestration.support.Json;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Reads an order under its row lock and moves it from status to status, each move guarded by the
 * transition table and recorded as an event in the same transaction (timeline and outbox).
 */
class OrderRecords {

    private final DatabaseClient db;
    private final Clock clock;

    OrderRecords(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The order, locked until the transaction ends: its transitions happen one at a time. */
    Mono<OrderRecord> lock(UUID orderId) {
        Mono<OrderRecord> header = db.sql("""
                        SELECT id, channel, external_ref, customer_id, currency, warehouse, status, status_before_exception,
                               invoicing_policy, needs_approval, ship_to::text AS ship_to
                        FROM orders WHERE id = :id FOR UPDATE""")
                .bind("id", orderId)
                .map(row -> new OrderRecord(row.get("id", UUID.class), row.get("channel", String.class),
                        row.get("external_ref", String.class), row.get("customer_id", String.class),
                        row.get("currency", String.class), row.get("warehouse", String.class),
                        OrderStatus.valueOf(row.get("status", String.class)),
                        row.get("status_before_exception", String.class) == null ? null
                                : OrderStatus.valueOf(row.get("status_before_exception", String.class)),
                        InvoicingPolicy.valueOf(row.get("invoicing_policy", String.class)),
                        row.get("needs_approval", Boolean.class), Json.readObject(row.get("ship_to", String.class)), List.of()))
                .one()
                .switchIfEmpty(Mono.error(() -> OrderExceptions.notFound(orderId)));
        return header.flatMap(order -> lines(orderId).map(lines -> new OrderRecord(order.id(), order.channel(),
                order.externalRef(), order.customerId(), order.currency(), order.warehouse(), order.status(),
                order.statusBeforeException(), order.invoicingPolicy(), order.needsApproval(), order.shipTo(), lines)));
    }

    private Mono<List<OrderLine>> lines(UUID orderId) {
        return db.sql("""
                        SELECT line_no, sku, quantity, unit_price, discount_percent, reserved, backordered, shipped, invoiced, warehouse
                        FROM order_line WHERE order_id = :id ORDER BY line_no""")
                .bind("id", orderId)
                .map(row -> new OrderLine(row.get("line_no", Integer.class), row.get("sku", String.class),
                        row.get("quantity", Integer.class), row.get("unit_price", BigDecimal.class),
                        row.get("discount_percent", BigDecimal.class), row.get("reserved", Integer.class),
                        row.get("backordered", Integer.class), row.get("shipped", Integer.class), row.get("invoiced", Integer.class),
                        row.get("warehouse", String.class)))
                .all()
                .collectList();
    }

    /**
     * Moves the order to {@code next} and records why.
     *
     * @throws DomainException (409) when the lifecycle does not allow the move
     */
    Mono<Void> move(OrderRecord order, OrderStatus next, String actor, Map<String, Object> details) {
        if (!order.status().canMoveTo(next)) {
            return Mono.error(OrderExceptions.notPossibleNow(order, " and cannot become " + next));
        }
        DatabaseClient.GenericExecuteSpec update = db.sql("""
                        UPDATE orders SET status = :status, status_before_exception = :before, event_seq = event_seq + 1,
                                          updated_at = :now
                        WHERE id = :id RETURNING event_seq""")
                .bind("status", next.name())
                .bind("now", clock.instant().atOffset(ZoneOffset.UTC))
                .bind("id", order.id());
        // entering the exception queue remembers where the order was, for the operator's retry
        update = next == OrderStatus.EXCEPTION ? update.bind("before", order.status().name()) : update.bindNull("before", String.class);
        return update.map(row -> row.get(0, Integer.class))
                .one()
                .flatMap(sequence -> record(order, sequence, next.eventType(), next, actor, details));
    }

    /** An event without a change of status (a backorder filled, a shipment on an order in exception). */
    Mono<Void> note(OrderRecord order, String type, String actor, Map<String, Object> details) {
        return db.sql("UPDATE orders SET event_seq = event_seq + 1, updated_at = :now WHERE id = :id RETURNING event_seq")
                .bind("now", clock.instant().atOffset(ZoneOffset.UTC))
                .bind("id", order.id())
                .map(row -> row.get(0, Integer.class))
                .one()
                .flatMap(sequence -> record(order, sequence, type, order.status(), actor, details));
    }

    Mono<Void> markApproved(UUID orderId) {
        return db.sql("UPDATE orders SET needs_approval = false WHERE id = :id").bind("id", orderId).then();
    }

    private Mono<Void> record(OrderRecord order, int sequence, String type, OrderStatus status, String actor,
            Map<String, Object> details) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", order.id());
        data.put("externalRef", order.externalRef());
        data.put("channel", order.channel());
        data.put("status", status);
        data.putAll(details);
        return EventLog.insert(db, List.of(new OrderEvent(Ids.next(), order.id(), sequence, order.channel(), type, actor,
                Json.write(data), clock.instant())));
    }
}
