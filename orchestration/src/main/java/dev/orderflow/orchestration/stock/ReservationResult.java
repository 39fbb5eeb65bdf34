package dev.orderflow.orchestration.stock;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What Redis said to one order's reservation. */
public sealed interface ReservationResult {

    /** Units reserved per SKU (zero where none were), against this generation of the warehouse's keys. */
    record Reserved(long generation, Map<String, Integer> unitsBySku) implements ReservationResult {
        public Reserved {
            unitsBySku = Map.copyOf(unitsBySku);
        }
    }

    /** The idempotency key is already held by another order: a replay, or a twin still in flight. */
    record HeldByOtherOrder(UUID orderId) implements ReservationResult {
    }

    /** SKUs the warehouse does not stock; nothing was reserved. */
    record UnknownSkus(List<String> skus) implements ReservationResult {
        public UnknownSkus {
            skus = List.copyOf(skus);
        }
    }
}
