package dev.orderflow.orchestration.order;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How much of one line was reserved, and how much waits. */
public record LineAllocation(OrderLineDraft line, int reserved, int backordered) {

    /**
     * Spreads the units Redis reserved per SKU over the lines, in line order: with two lines of one
     * SKU and too little stock, the first line is served first.
     */
    public static List<LineAllocation> spread(List<OrderLineDraft> lines, Map<String, Integer> unitsBySku) {
        Map<String, Integer> left = new HashMap<>(unitsBySku);
        List<LineAllocation> allocations = new ArrayList<>(lines.size());
        for (OrderLineDraft line : lines) {
            int reserved = Math.min(line.quantity(), left.getOrDefault(line.sku(), 0));
            left.merge(line.sku(), -reserved, Integer::sum);
            allocations.add(new LineAllocation(line, reserved, line.quantity() - reserved));
        }
        return allocations;
    }

    /** Accepted when anything is reserved; backordered when nothing is. */
    public static OrderStatus statusOf(List<LineAllocation> allocations) {
        boolean anyReserved = allocations.stream().anyMatch(allocation -> allocation.reserved() > 0);
        return anyReserved ? OrderStatus.ACCEPTED : OrderStatus.BACKORDERED;
    }
}
