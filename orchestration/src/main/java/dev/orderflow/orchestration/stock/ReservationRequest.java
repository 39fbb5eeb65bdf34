package dev.orderflow.orchestration.stock;

import java.util.List;
import java.util.UUID;

/**
 * What one order asks of one warehouse.
 *
 * @param allOrNothing      reserve every unit or none (ship-complete); otherwise whatever is there
 * @param idempotencyMarker the marker key ({@link WarehouseKeys#idempotencyMarker}) the order takes
 * @param lines             SKU and quantity per order line, in line order; SKUs may repeat
 */
public record ReservationRequest(UUID orderId, boolean allOrNothing, String idempotencyMarker, List<Demand> lines) {

    public ReservationRequest {
        lines = List.copyOf(lines);
    }

    /** One line's demand. */
    public record Demand(String sku, int quantity) {
    }
}
