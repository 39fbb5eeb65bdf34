package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.step.NewStep;
import java.util.List;

/**
 * An order ready to store: its draft, what was reserved for each line, its first event, and the
 * response the channel will get (stored for idempotent replays).
 */
public record PreparedOrder(OrderDraft draft, List<LineAllocation> allocations, OrderStatus status, boolean needsApproval,
        Order order, OrderEvent firstEvent, List<NewStep> firstSteps, String response) {

    public PreparedOrder {
        allocations = List.copyOf(allocations);
        firstSteps = List.copyOf(firstSteps);
    }
}
