package dev.orderflow.orchestration.edi;

import dev.orderflow.orchestration.edi.PurchaseOrder.ItemId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * What an order taken from an 850 remembers of it (stored as the order's {@code origin}): who sent
 * it and how, the PO number, and each line's identity as the buyer gave it. The 855, 856 and 810
 * quote these back, in the partner's own delimiters, to a partner who matches them to their PO.
 *
 * @param delimiters element, segment and component separator, then the repetition separator if there is one
 *                   (PostgreSQL's jsonb holds no NUL, which stands for "none" in {@link X12Delimiters})
 * @param lines our order line numbers against the buyer's PO1 lines
 * @param rejected the PO1 lines not taken (unknown item, unreadable quantity), for the 855's {@code IR}
 */
public record EdiOrigin(
        String kind,
        String senderQualifier,
        String senderId,
        String receiverQualifier,
        String receiverId,
        String version,
        String groupVersion,
        String usageIndicator,
        String delimiters,
        String interchangeControlNumber,
        String poNumber,
        LocalDate poDate,
        List<OriginLine> lines,
        List<RejectedItem> rejected) {

    static final String KIND = "x12-850";

    public EdiOrigin {
        lines = List.copyOf(lines);
        rejected = List.copyOf(rejected);
    }

    /** An order line as the buyer numbered and identified it. */
    public record OriginLine(int lineNo, String lineId, String unitOfMeasure, List<ItemId> itemIds) {
        public OriginLine {
            itemIds = List.copyOf(itemIds);
        }
    }

    /** A PO1 line that was not taken; quantity and price are null when they could not be read. */
    public record RejectedItem(String lineId, Integer quantity, String unitOfMeasure, BigDecimal unitPrice,
            List<ItemId> itemIds, String reason) {
        public RejectedItem {
            itemIds = List.copyOf(itemIds);
        }
    }

    static String delimitersOf(X12Delimiters d) {
        X12Delimiters used = d == null ? X12Delimiters.STANDARD : d;
        String three = new String(new char[] {used.element(), used.segment(), used.component()});
        return used.hasRepetition() ? three + used.repetition() : three;
    }

    X12Writer.Partner partner() {
        X12Delimiters d = new X12Delimiters(delimiters.charAt(0), delimiters.charAt(1), delimiters.charAt(2),
                delimiters.length() > 3 ? delimiters.charAt(3) : X12Delimiters.NONE);
        return new X12Writer.Partner(senderQualifier, senderId, receiverQualifier, receiverId, version, groupVersion,
                usageIndicator, d);
    }

    OriginLine line(int lineNo) {
        return lines.stream().filter(line -> line.lineNo() == lineNo).findFirst().orElse(null);
    }
}
