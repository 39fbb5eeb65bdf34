package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.step.Step;
import dev.orderflow.orchestration.support.DomainException;
import dev.orderflow.orchestration.support.FieldError;
import dev.orderflow.orchestration.support.Ids;
import dev.orderflow.orchestration.support.Json;
import dev.orderflow.orchestration.support.ValidationException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The row-level changes transitions make: reservations released, shipments, invoices. In the caller's transaction. */
class OrderChanges {

    private static final Set<OrderStatus> SHIPPABLE = EnumSet.of(OrderStatus.RELEASED, OrderStatus.PARTIALLY_SHIPPED);

    private final DatabaseClient db;
    private final Clock clock;

    OrderChanges(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Frees every reserved and backordered unit; answers the units freed per SKU, and writes the reservation ledger. */
    Mono<Map<String, Integer>> releaseReserved(OrderRecord order) {
        List<OrderLine> held = order.lines().stream().filter(line -> line.reserved() > 0).toList();
        Mono<Void> ledger = held.isEmpty() ? Mono.empty() : ReservationLedger.insert(db,
                held.stream().map(line -> order.id()).toArray(UUID[]::new),
                held.stream().map(line -> order.id()).toArray(UUID[]::new),
                held.stream().map(OrderLine::lineNo).toArray(Integer[]::new),
                held.stream().map(OrderLine::warehouse).toArray(String[]::new),
                held.stream().map(OrderLine::sku).toArray(String[]::new),
                held.stream().map(line -> -line.reserved()).toArray(Integer[]::new),
                ReservationLedger.RELEASE, now());
        Map<String, Integer> units = new LinkedHashMap<>();
        held.forEach(line -> units.merge(line.sku(), line.reserved(), Integer::sum));
        return db.sql("UPDATE order_line SET reserved = 0, backordered = 0 WHERE order_id = :id")
                .bind("id", order.id())
                .then()
                .then(ledger)
                .thenReturn(units);
    }

    /**
     * Records a shipment: shipped units leave both on-hand and the reservation (so "available" does
     * not change, and Redis needs no update).
     *
     * @return false when this shipment id was recorded before (a retry), true when it is new
     */
    Mono<Boolean> recordShipment(OrderRecord order, ShipmentRequest shipment, String actor) {
        return db.sql("SELECT 1 FROM shipment WHERE order_id = :id AND shipment_id = :shipment")
                .bind("id", order.id()).bind("shipment", shipment.shipmentId())
                .map(row -> true)
                .one()
                .map(seen -> false)
                .switchIfEmpty(Mono.defer(() -> newShipment(order, shipment, actor)));
    }

    private Mono<Boolean> newShipment(OrderRecord order, ShipmentRequest shipment, String actor) {
        if (!SHIPPABLE.contains(order.status())) {
            return Mono.error(OrderExceptions.notShippable(order));
        }
        Map<Integer, Integer> units = new LinkedHashMap<>();
        shipment.lines().forEach(line -> units.merge(line.lineNo(), line.quantity(), Integer::sum));
        List<FieldError> errors = overShipped(order, units);
        if (!errors.isEmpty()) {
            return Mono.error(new ValidationException(DomainException.Kind.UNPROCESSABLE,
                    "The shipment is more than is reserved for these lines.", errors));
        }
        List<OrderLine> lines = order.lines().stream().filter(line -> units.containsKey(line.lineNo())).toList();
        Integer[] lineNos = lines.stream().map(OrderLine::lineNo).toArray(Integer[]::new);
        Integer[] quantities = lines.stream().map(line -> units.get(line.lineNo())).toArray(Integer[]::new);
        return db.sql("""
                        INSERT INTO shipment (order_id, shipment_id, carrier, tracking_number, lines, actor, created_at)
                        VALUES (:id, :shipment, :carrier, :tracking, CAST(:lines AS jsonb), :actor, :now)""")
                .bind("id", order.id()).bind("shipment", shipment.shipmentId())
                .bind("carrier", shipment.carrier() == null ? "" : shipment.carrier())
                .bind("tracking", shipment.trackingNumber() == null ? "" : shipment.trackingNumber())
                .bind("lines", Json.write(shipment.lines()))
                .bind("actor", actor).bind("now", now())
                .then()
                .then(db.sql("""
                                UPDATE order_line l SET reserved = l.reserved - t.units, shipped = l.shipped + t.units
                                FROM unnest(CAST(:lineNos AS int[]), CAST(:units AS int[])) AS t(line_no, units)
                                WHERE l.order_id = :id AND l.line_no = t.line_no""")
                        .bind("lineNos", lineNos).bind("units", quantities).bind("id", order.id())
                        .then())
                .then(leaveStock(order, lines, units, shipment.shipmentId(), actor))
                .then(ReservationLedger.insert(db, repeat(order.id(), lines.size()), repeat(order.id(), lines.size()), lineNos,
                        lines.stream().map(OrderLine::warehouse).toArray(String[]::new),
                        lines.stream().map(OrderLine::sku).toArray(String[]::new),
                        lines.stream().map(line -> -units.get(line.lineNo())).toArray(Integer[]::new),
                        "SHIP", now()))
                .thenReturn(true);
    }

    /** Shipped goods leave on-hand, each a SHIPMENT row of the stock ledger. */
    private Mono<Void> leaveStock(OrderRecord order, List<OrderLine> lines, Map<Integer, Integer> units, String shipmentId,
            String actor) {
        return Flux.fromIterable(lines)
                .concatMap(line -> db.sql("""
                                WITH item AS (
                                    UPDATE stock_item SET on_hand = on_hand - :units, updated_at = :now
                                    WHERE warehouse = :warehouse AND sku = :sku RETURNING on_hand)
                                INSERT INTO stock_movement (warehouse, sku, kind, quantity, on_hand_after, reference, order_id, actor, created_at)
                                SELECT :warehouse, :sku, 'SHIPMENT', -:units, on_hand, :reference, :orderId, :actor, :now FROM item""")
                        .bind("units", units.get(line.lineNo()))
                        .bind("now", now())
                        .bind("warehouse", line.warehouse())
                        .bind("sku", line.sku())
                        .bind("reference", shipmentId)
                        .bind("orderId", order.id())
                        .bind("actor", actor)
                        .then())
                .then();
    }

    private static List<FieldError> overShipped(OrderRecord order, Map<Integer, Integer> units) {
        List<FieldError> errors = new ArrayList<>();
        units.forEach((lineNo, quantity) -> {
            OrderLine line = order.lines().stream().filter(candidate -> candidate.lineNo() == lineNo).findFirst().orElse(null);
            if (line == null) {
                errors.add(new FieldError("lines.lineNo", "order has no line " + lineNo));
            } else if (quantity > line.reserved()) {
                errors.add(new FieldError("lines.quantity", "line " + lineNo + ": " + quantity + " shipped but only "
                        + line.reserved() + " reserved and not yet shipped"));
            }
        });
        return errors;
    }

    /** An invoice or credit note the invoicing system issued for a step. */
    Mono<Void> recordInvoice(OrderRecord order, Step step, Map<String, Object> answer) {
        Map<String, Object> payload = Json.readObject(step.payload());
        return db.sql("""
                        INSERT INTO invoice (id, order_id, kind, external_id, total, lines, created_at)
                        VALUES (:id, :order, :kind, :external, CAST(:total AS numeric), CAST(:lines AS jsonb), :now)""")
                .bind("id", Ids.next())
                .bind("order", order.id())
                .bind("kind", String.valueOf(payload.get("kind")))
                .bind("external", String.valueOf(answer.getOrDefault("invoiceId", step.id().toString())))
                .bind("total", String.valueOf(payload.get("total")))
                .bind("lines", Json.write(payload.get("lines")))
                .bind("now", now())
                .then();
    }

    Mono<Void> addInvoiced(UUID orderId, Map<Integer, Integer> units) {
        return db.sql("""
                        UPDATE order_line l SET invoiced = l.invoiced + t.units
                        FROM unnest(CAST(:lineNos AS int[]), CAST(:units AS int[])) AS t(line_no, units)
                        WHERE l.order_id = :id AND l.line_no = t.line_no""")
                .bind("lineNos", units.keySet().toArray(Integer[]::new))
                .bind("units", units.values().toArray(Integer[]::new))
                .bind("id", orderId)
                .then();
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static UUID[] repeat(UUID value, int times) {
        UUID[] array = new UUID[times];
        java.util.Arrays.fill(array, value);
        return array;
    }
}
