package dev.orderflow.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * X12 850 interchanges as a trading partner's EDI gateway sends them ({@code *} between elements,
 * {@code ~} after segments, {@code >} between components): one ISA/GS envelope around several
 * purchase orders, each ST ... SE with BEG (the PO number), the buyer and ship-to, and one PO1 per
 * line with the SKU as the vendor's part number ({@code VN}).
 */
final class X12Interchanges {

    /** One 850: the PO number (the order's external reference) and its lines. */
    record PurchaseOrder(String number, String buyerId, List<OrderBodies.Line> lines) {
    }

    private X12Interchanges() {
    }

    /**
     * @param sender  the partner's interchange id (ISA06, up to 15 characters)
     * @param control the interchange control number (ISA13), 1 to 999,999,999, unique per sender
     */
    static String interchange(String sender, long control, List<PurchaseOrder> orders) {
        String isa13 = String.format(Locale.ROOT, "%09d", control);
        StringBuilder text = new StringBuilder(256 + orders.size() * 400);
        segment(text, "ISA", "00", "          ", "00", "          ", "ZZ", pad(sender), "ZZ", pad("ORDERFLOW"), "261201", "1200",
                "U", "00401", isa13, "0", "P", ">");
        segment(text, "GS", "PO", sender, "ORDERFLOW", "20261201", "1200", Long.toString(control), "X", "004010");
        int set = 0;
        for (PurchaseOrder order : orders) {
            set++;
            transactionSet(text, String.format(Locale.ROOT, "%04d", set), order);
        }
        segment(text, "GE", Integer.toString(orders.size()), Long.toString(control));
        segment(text, "IEA", "1", isa13);
        return text.toString();
    }

    private static void transactionSet(StringBuilder text, String number, PurchaseOrder order) {
        List<String[]> segments = new ArrayList<>();
        segments.add(new String[] {"BEG", "00", "SA", order.number(), "", "20261201"});
        segments.add(new String[] {"CUR", "BY", "USD"});
        segments.add(new String[] {"N1", "BY", "Buyer " + order.buyerId(), "92", order.buyerId()});
        segments.add(new String[] {"N1", "ST", "Dock 4", "92", "DC4"});
        segments.add(new String[] {"N3", "1 Harbor Rd"});
        segments.add(new String[] {"N4", "Portland", "OR", "97201", "US"});
        int line = 0;
        for (OrderBodies.Line item : order.lines()) {
            line++;
            segments.add(new String[] {"PO1", Integer.toString(line), Integer.toString(item.quantity()), "EA",
                    OrderBodies.price(item.sku()), "", "VN", item.sku()});
        }
        segments.add(new String[] {"CTT", Integer.toString(order.lines().size())});
        segment(text, "ST", "850", number);
        for (String[] segment : segments) {
            segment(text, segment[0], java.util.Arrays.copyOfRange(segment, 1, segment.length));
        }
        segment(text, "SE", Integer.toString(segments.size() + 2), number);
    }

    private static void segment(StringBuilder text, String tag, String... elements) {
        text.append(tag);
        for (String element : elements) {
            text.append('*').append(element);
        }
        text.append('~');
    }

    private static String pad(String id) {
        return String.format(Locale.ROOT, "%-15s", id);
    }
}
