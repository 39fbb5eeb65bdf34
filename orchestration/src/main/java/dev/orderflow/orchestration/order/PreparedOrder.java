package dev.orderflow.orchestration.order;

import java.util.List;

/**
 * An order ready to store: its draft, what was reserved for each line, its first event, and the
 * response the channel will get (stored for idempotent replays).
 */
public record PreparedOrder(OrderDraft draft, List<LineAllocation> allocations, OrderStatus status, Order order,
        OrderEvent firstEvent, String response) {

    public PreparedOrder {
        allocations = List.copyOf(allocations);
    }
}
