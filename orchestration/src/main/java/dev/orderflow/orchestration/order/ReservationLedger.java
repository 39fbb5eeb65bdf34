package dev.orderflow.orchestration.order;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** Appends to the reservation ledger, any number of rows in one statement. */
final class ReservationLedger {

    static final String RESERVE = "RESERVE";
    static final String RELEASE = "RELEASE";

    private ReservationLedger() {
    }

    static Mono<Void> insert(DatabaseClient db, UUID[] reservationIds, UUID[] orderIds, Integer[] lineNos, String[] warehouses,
            String[] skus, Integer[] quantities, String kind, OffsetDateTime now) {
        return db.sql("""
                        INSERT INTO reservation_movement (reservation_id, order_id, line_no, warehouse, sku, kind, quantity, created_at)
                        SELECT r, o, n, wh, sku, :kind, q, :now
                        FROM unnest(CAST(:reservations AS uuid[]), CAST(:orders AS uuid[]), CAST(:lineNos AS int[]),
                                    CAST(:warehouses AS text[]), CAST(:skus AS text[]), CAST(:quantities AS int[]))
                             AS t(r, o, n, wh, sku, q)""")
                .bind("reservations", reservationIds)
                .bind("orders", orderIds)
                .bind("lineNos", lineNos)
                .bind("warehouses", warehouses)
                .bind("skus", skus)
                .bind("quantities", quantities)
                .bind("kind", kind)
                .bind("now", now)
                .then();
    }
}
