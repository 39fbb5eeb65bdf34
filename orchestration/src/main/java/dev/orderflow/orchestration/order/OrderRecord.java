package dev.orderflow.orchestration.order;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An order as the lifecycle sees it, read under its row lock. */
record OrderRecord(UUID id, String channel, String externalRef, String customerId, String currency, String warehouse,
        OrderStatus status, OrderStatus statusBeforeException, InvoicingPolicy invoicingPolicy, boolean needsApproval,
        Map<String, Object> shipTo, List<OrderLine> lines) {

    boolean shippedInFull() {
        return lines.stream().allMatch(line -> line.shipped() == line.quantity());
    }
}
