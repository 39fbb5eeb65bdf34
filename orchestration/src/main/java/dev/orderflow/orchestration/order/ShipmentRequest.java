package dev.orderflow.orchestration.order;

import java.util.List;

/** A shipment the warehouse confirms: which units of which lines left, with which carrier. */
public record ShipmentRequest(String shipmentId, List<ShippedLine> lines, String carrier, String trackingNumber) {

    public ShipmentRequest {
        lines = List.copyOf(lines);
    }

    /** Units of one line. */
    public record ShippedLine(int lineNo, int quantity) {
    }
}
