package dev.orderflow.orchestration.stock;

/** One SKU at one warehouse: on-hand, reserved by open orders, and what is left to promise. */
public record StockLevel(String warehouse, String sku, long onHand, long reserved, long available) {
}
