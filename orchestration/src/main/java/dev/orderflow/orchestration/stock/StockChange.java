package dev.orderflow.orchestration.stock;

/**
 * One change of on-hand to apply: either set to a figure ({@code countedOnHand}) or moved by
 * {@code delta}.
 */
public record StockChange(String warehouse, String sku, MovementKind kind, Long countedOnHand, long delta,
        String reason, String reference, String actor) {

    public static StockChange count(String warehouse, String sku, long onHand, String reason, String actor) {
        return new StockChange(warehouse, sku, MovementKind.COUNT, onHand, 0, reason, null, actor);
    }

    public static StockChange receipt(String warehouse, String sku, long quantity, String reference, String actor) {
        return new StockChange(warehouse, sku, MovementKind.RECEIPT, null, quantity, null, reference, actor);
    }

    public static StockChange adjustment(String warehouse, String sku, long delta, String reason, String actor) {
        return new StockChange(warehouse, sku, MovementKind.ADJUSTMENT, null, delta, reason, null, actor);
    }

    long newOnHand(long current) {
        return countedOnHand != null ? countedOnHand : current + delta;
    }
}
