package dev.orderflow.orchestration.edi;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One X12 850 purchase order as read, before any SKU or customer is resolved.
 *
 * @param groupControlNumber GS06 of the group it came in
 * @param setControlNumber ST02
 * @param externalRef the PO number (BEG03)
 * @param poDate BEG05, or {@code null} if absent
 * @param buyer the N1 loop qualified {@code BY}, else {@code BT}; {@code null} if neither
 * @param shipTo the N1 loop qualified {@code ST}; {@code null} if absent
 * @param currency CUR02, or {@code null}
 * @param lines the PO1 lines that could be read
 * @param rejectedLines the PO1 lines rejected on their own (e.g. a quantity that is not a whole number)
 */
public record PurchaseOrder(
        String groupControlNumber,
        String setControlNumber,
        String externalRef,
        LocalDate poDate,
        Party buyer,
        Party shipTo,
        String currency,
        List<Line> lines,
        List<RejectedLine> rejectedLines) {

    public PurchaseOrder {
        lines = List.copyOf(lines);
        rejectedLines = List.copyOf(rejectedLines);
    }

    /**
     * A party from an N1 loop, with its N3/N4 address. Absent values are {@code null}.
     *
     * @param qualifier N101 ({@code BY}, {@code BT}, {@code ST}, ...)
     * @param name N102
     * @param idQualifier N103
     * @param id N104
     */
    public record Party(
            String qualifier,
            String name,
            String idQualifier,
            String id,
            List<String> addressLines,
            String city,
            String state,
            String postalCode,
            String country) {

        public Party {
            addressLines = List.copyOf(addressLines);
        }
    }

    /**
     * One PO1 line.
     *
     * @param lineId PO101 (may be {@code null})
     * @param unitPrice PO104, or {@code null} if absent
     * @param itemIds PO106/PO107, PO108/PO109, ... in the order sent
     */
    public record Line(String lineId, int quantity, String unitOfMeasure, BigDecimal unitPrice, List<ItemId> itemIds) {

        public Line {
            itemIds = List.copyOf(itemIds);
        }
    }

    /** A product/service ID qualifier ({@code VN}, {@code BP}, {@code UP}, ...) and the ID. */
    public record ItemId(String qualifier, String id) {}

    /**
     * A PO1 line rejected on its own.
     *
     * @param segmentPosition position of the PO1 in its transaction set (ST = 1)
     */
    public record RejectedLine(String lineId, int segmentPosition, String reason) {}
}
