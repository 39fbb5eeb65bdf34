package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.stock.ReservationRequest;
import dev.orderflow.orchestration.stock.ReservationResult;
import dev.orderflow.orchestration.stock.Reservations;
import dev.orderflow.orchestration.stock.StockLock;
import dev.orderflow.orchestration.stock.StockRebuilder;
import dev.orderflow.orchestration.stock.WarehouseKeys;
import dev.orderflow.orchestration.support.Ids;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Gives newly received stock to orders waiting for it, oldest order first. Each fill is the same
 * try/confirm as intake: reserve in Redis under a fill id, then move units from backordered to
 * reserved in PostgreSQL, guarded so that two fills racing for one line never both succeed.
 */
public class BackorderAllocator {

    private static final int ORDERS_PER_PASS = 200;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final StockLock lock;
    private final Reservations reservations;
    private final StockRebuilder rebuilder;
    private final OrderLifecycle lifecycle;
    private final Clock clock;

    public BackorderAllocator(DatabaseClient db, TransactionalOperator tx, StockLock lock, Reservations reservations,
            StockRebuilder rebuilder, OrderLifecycle lifecycle, Clock clock) {
        this.lifecycle = lifecycle;
        this.db = db;
        this.tx = tx;
        this.lock = lock;
        this.reservations = reservations;
        this.rebuilder = rebuilder;
        this.clock = clock;
    }

    /** Fills what it can for orders waiting on these SKUs; answers how many orders got stock. */
    public Mono<Long> allocate(String warehouse, Collection<String> skus, String actor) {
        return waitingOrders(warehouse, skus)
                .concatMap(orderId -> fill(warehouse, orderId, actor))
                .filter(Boolean::booleanValue)
                .count();
    }

    private reactor.core.publisher.Flux<UUID> waitingOrders(String warehouse, Collection<String> skus) {
        // ids are UUIDv7: their order is the orders' arrival order
        return db.sql("SELECT DISTINCT order_id FROM order_line WHERE warehouse = :warehouse AND sku = ANY(:skus)"
                        + " AND backordered > 0 ORDER BY order_id LIMIT :limit")
                .bind("warehouse", warehouse)
                .bind("skus", skus.toArray(String[]::new))
                .bind("limit", ORDERS_PER_PASS)
                .map(row -> row.get(0, UUID.class))
                .all();
    }

    private Mono<Boolean> fill(String warehouse, UUID orderId, String actor) {
        return waiting(orderId)
                .filter(waiting -> !waiting.lines().isEmpty())
                .flatMap(waiting -> reserve(warehouse, waiting)
                        .flatMap(reserved -> commitOrRelease(warehouse, waiting, reserved, actor)))
                .defaultIfEmpty(false);
    }

    private Mono<Waiting> waiting(UUID orderId) {
        Mono<Header> header = db.sql("SELECT channel, external_ref, status, fulfillment_policy FROM orders WHERE id = :id")
                .bind("id", orderId)
                .map(row -> new Header(row.get("channel", String.class), row.get("external_ref", String.class),
                        OrderStatus.valueOf(row.get("status", String.class)),
                        FulfillmentPolicy.valueOf(row.get("fulfillment_policy", String.class))))
                .one();
        Mono<List<WaitingLine>> lines = db.sql(
                        "SELECT line_no, sku, backordered FROM order_line WHERE order_id = :id AND backordered > 0 ORDER BY line_no")
                .bind("id", orderId)
                .map(row -> new WaitingLine(row.get("line_no", Integer.class), row.get("sku", String.class),
                        row.get("backordered", Integer.class)))
                .all()
                .collectList();
        return Mono.zip(header, lines, (h, l) -> new Waiting(orderId, h, l));
    }

    private Mono<Fill> reserve(String warehouse, Waiting waiting) {
        UUID fillId = Ids.next();
        ReservationRequest request = new ReservationRequest(fillId,
                waiting.header().policy() == FulfillmentPolicy.SHIP_COMPLETE,
                new WarehouseKeys(warehouse).noMarker(),
                waiting.lines().stream().map(line -> new ReservationRequest.Demand(line.sku(), line.backordered())).toList());
        return reservations.reserve(warehouse, List.of(request))
                .switchIfEmpty(Mono.defer(() -> rebuilder.rebuild(warehouse, false)
                        .then(reservations.reserve(warehouse, List.of(request)))))
                .map(results -> results.get(0))
                .filter(ReservationResult.Reserved.class::isInstance)
                .map(result -> new Fill(fillId, (ReservationResult.Reserved) result));
    }

    private Mono<Boolean> commitOrRelease(String warehouse, Waiting waiting, Fill fill, String actor) {
        Map<Integer, Integer> unitsByLine = spread(waiting, fill.reserved().unitsBySku());
        if (unitsByLine.isEmpty()) {
            return reservations.release(warehouse, List.of(fill.id())).thenReturn(false);
        }
        return lock.shared(warehouse)
                .flatMap(generation -> generation == fill.reserved().generation()
                        ? moveToReserved(warehouse, waiting, fill.id(), unitsByLine, actor)
                        : Mono.<Effects>empty())
                .as(tx::transactional)
                .onErrorResume(LostRace.class, lost -> Mono.empty())
                .flatMap(effects -> reservations.confirm(warehouse, List.of(fill.id()))
                        .then(lifecycle.apply(effects))
                        .thenReturn(true))
                .switchIfEmpty(Mono.defer(() -> reservations.release(warehouse, List.of(fill.id())).thenReturn(false)));
    }

    /** Units per line number, first lines first, as intake does. */
    private static Map<Integer, Integer> spread(Waiting waiting, Map<String, Integer> unitsBySku) {
        Map<String, Integer> left = new LinkedHashMap<>(unitsBySku);
        Map<Integer, Integer> byLine = new LinkedHashMap<>();
        for (WaitingLine line : waiting.lines()) {
            int units = Math.min(line.backordered(), left.getOrDefault(line.sku(), 0));
            if (units > 0) {
                byLine.put(line.lineNo(), units);
                left.merge(line.sku(), -units, Integer::sum);
            }
        }
        return byLine;
    }

    private Mono<Effects> moveToReserved(String warehouse, Waiting waiting, UUID fillId, Map<Integer, Integer> unitsByLine,
            String actor) {
        Integer[] lineNos = unitsByLine.keySet().toArray(Integer[]::new);
        Integer[] units = unitsByLine.values().toArray(Integer[]::new);
        return db.sql("""
                        UPDATE order_line l SET reserved = l.reserved + t.units, backordered = l.backordered - t.units
                        FROM unnest(CAST(:lineNos AS int[]), CAST(:units AS int[])) AS t(line_no, units)
                        WHERE l.order_id = :id AND l.line_no = t.line_no AND l.backordered >= t.units
                        RETURNING l.line_no, l.sku""")
                .bind("lineNos", lineNos)
                .bind("units", units)
                .bind("id", waiting.orderId())
                .map(row -> row.get("sku", String.class))
                .all()
                .collectList()
                .flatMap(skus -> skus.size() == lineNos.length
                        ? Mono.just(skus)
                        // another fill got there first: roll back, give the units back
                        : Mono.error(new LostRace()))
                .flatMap(skus -> ReservationLedger.insert(db, repeat(fillId, lineNos.length), repeat(waiting.orderId(), lineNos.length),
                        lineNos, repeat(warehouse, lineNos.length), skus.toArray(String[]::new), units,
                        ReservationLedger.RESERVE, clock.instant().atOffset(ZoneOffset.UTC)))
                .then(lifecycle.backorderFilled(waiting.orderId(), unitsByLine, actor));
    }

    @SuppressWarnings("unchecked")
    private static <T> T[] repeat(T value, int times) {
        T[] array = (T[]) java.lang.reflect.Array.newInstance(value.getClass(), times);
        java.util.Arrays.fill(array, value);
        return array;
    }

    private record Header(String channel, String externalRef, OrderStatus status, FulfillmentPolicy policy) {
    }

    private record WaitingLine(int lineNo, String sku, int backordered) {
    }

    private record Waiting(UUID orderId, Header header, List<WaitingLine> lines) {
    }

    private record Fill(UUID id, ReservationResult.Reserved reserved) {
    }

    private static final class LostRace extends RuntimeException {
        LostRace() {
            super("another fill took these backorders first", null, false, false);
        }
    }
}
