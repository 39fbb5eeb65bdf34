package dev.orderflow.orchestration.edi;

import dev.orderflow.orchestration.edi.EdiOrigin.OriginLine;
import dev.orderflow.orchestration.edi.EdiOrigin.RejectedItem;
import dev.orderflow.orchestration.edi.PurchaseOrder.ItemId;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIValidationException;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the documents an 850's sender gets back, each a whole interchange addressed to them in
 * their own delimiters, quoting their PO number, PO1 line ids, units of measure and item IDs:
 * the 855 acknowledgment, an 856 per shipment and an 810 per invoice.
 */
final class EdiDocumentWriter {

    private static final DateTimeFormatter CCYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HHmm");

    private EdiDocumentWriter() {
    }

    /**
     * An order line as the documents need it.
     *
     * @param reserved units reserved when the order was taken (855: accepted)
     * @param backordered units waiting for stock when the order was taken (855: backordered)
     */
    record Line(int lineNo, String sku, int quantity, BigDecimal unitPrice, int reserved, int backordered) {
    }

    /** A shipment as recorded: units per order line. */
    record Shipment(String shipmentId, String carrier, String trackingNumber, Map<Integer, Integer> unitsByLine,
            LocalDateTime shippedAt) {
    }

    /** An invoice (or credit note) as issued: units and amount per order line. */
    record Invoice(String invoiceNumber, boolean creditNote, BigDecimal total, List<InvoiceLine> lines, LocalDate date) {
    }

    record InvoiceLine(int lineNo, int quantity, BigDecimal amount) {
    }

    /**
     * 855: BAK, then per PO1 line what became of it: ACK IA (accepted, reserved), IB (backordered),
     * IR (rejected: an unknown item, or a line that could not be read).
     */
    static String ack855(EdiOrigin origin, String orderId, List<Line> lines, long control, LocalDateTime now) {
        boolean changed = !origin.rejected().isEmpty() || lines.stream().anyMatch(line -> line.backordered() > 0);
        return write(origin, "PR", "855", control, now, w -> {
            w.segment("BAK", "00", changed ? "AC" : "AD", origin.poNumber(), poDate(origin, now), "", "", "", orderId,
                    now.format(CCYYMMDD));
            int count = 0;
            for (Line line : lines) {
                OriginLine source = origin.line(line.lineNo());
                String uom = unitOf(source);
                w.segment("PO1", elements(source == null ? null : source.lineId(), String.valueOf(line.quantity()), uom,
                        money(line.unitPrice()), "", itemIds(line.sku(), source == null ? List.of() : source.itemIds())));
                if (line.reserved() > 0) {
                    w.segment("ACK", "IA", String.valueOf(line.reserved()), uom);
                }
                if (line.backordered() > 0) {
                    w.segment("ACK", "IB", String.valueOf(line.backordered()), uom);
                }
                count++;
            }
            for (RejectedItem rejected : origin.rejected()) {
                String quantity = rejected.quantity() == null ? "" : String.valueOf(rejected.quantity());
                String uom = rejected.unitOfMeasure() == null ? "" : rejected.unitOfMeasure();
                w.segment("PO1", elements(rejected.lineId(), quantity, uom,
                        rejected.unitPrice() == null ? "" : money(rejected.unitPrice()), "", pairs(rejected.itemIds())));
                w.segment("ACK", "IR", quantity, uom);
                count++;
            }
            w.segment("CTT", String.valueOf(count));
        });
    }

    /** 856: one shipment, as the hierarchy shipment (S), order (O), items (I). */
    static String shipNotice856(EdiOrigin origin, List<Line> lines, Shipment shipment, long control, LocalDateTime now) {
        return write(origin, "SH", "856", control, now, w -> {
            w.segment("BSN", "00", shipment.shipmentId(), shipment.shippedAt().format(CCYYMMDD), shipment.shippedAt().format(HHMM));
            w.segment("HL", "1", "", "S");
            w.segment("TD5", "", "", "", "", blank(shipment.carrier()));
            if (!blank(shipment.trackingNumber()).isEmpty()) {
                w.segment("REF", "CN", shipment.trackingNumber());
            }
            w.segment("DTM", "011", shipment.shippedAt().format(CCYYMMDD));
            w.segment("HL", "2", "1", "O");
            w.segment("PRF", origin.poNumber());
            int hl = 2;
            for (Line line : lines) {
                Integer units = shipment.unitsByLine().get(line.lineNo());
                if (units == null || units == 0) {
                    continue;
                }
                OriginLine source = origin.line(line.lineNo());
                hl++;
                w.segment("HL", String.valueOf(hl), "2", "I");
                w.segment("LIN", elements(source == null ? "" : blank(source.lineId()), itemIds(line.sku(),
                        source == null ? List.of() : source.itemIds())));
                w.segment("SN1", "", String.valueOf(units), unitOf(source));
            }
            w.segment("CTT", String.valueOf(hl));
        });
    }

    /** 810: one invoice (or, with BIG07 CR, a credit note), a line per invoiced order line, TDS in cents. */
    static String invoice810(EdiOrigin origin, List<Line> lines, Invoice invoice, long control, LocalDateTime now) {
        return write(origin, "IN", "810", control, now, w -> {
            w.segment("BIG", invoice.date().format(CCYYMMDD), invoice.invoiceNumber(), poDate(origin, now), origin.poNumber(),
                    "", "", invoice.creditNote() ? "CR" : "DI");
            for (InvoiceLine item : invoice.lines()) {
                Line line = lines.stream().filter(candidate -> candidate.lineNo() == item.lineNo()).findFirst().orElse(null);
                OriginLine source = origin.line(item.lineNo());
                BigDecimal unitPrice = item.quantity() == 0 ? BigDecimal.ZERO
                        : item.amount().divide(BigDecimal.valueOf(item.quantity()), 4, RoundingMode.HALF_UP);
                w.segment("IT1", elements(source == null ? "" : blank(source.lineId()), String.valueOf(item.quantity()), unitOf(source),
                        money(unitPrice), "", itemIds(line == null ? "" : line.sku(),
                                source == null ? List.of() : source.itemIds())));
            }
            w.segment("TDS", invoice.total().movePointRight(2).setScale(0, RoundingMode.HALF_UP).abs().toPlainString());
            w.segment("CTT", String.valueOf(invoice.lines().size()));
        });
    }

    /** The body of one transaction set. */
    private interface Body {
        void write(X12Writer w) throws EDIStreamException;
    }

    private static String write(EdiOrigin origin, String functionalId, String setCode, long control, LocalDateTime now, Body body) {
        X12Writer.Partner partner = origin.partner();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (X12Writer w = X12Writer.start(partner, control, now, out)) {
            w.startGroup(partner, functionalId, now);
            w.startSet(setCode);
            body.write(w);
            w.endSet();
            w.endGroup();
        } catch (EDIStreamException | EDIValidationException e) {
            // the stream exceptions are what StAEDI refuses as it writes, the validation one what its envelope schema refuses
            throw new UnwritableDocumentException(setCode, origin.poNumber(), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Our SKU as the vendor's number, then the buyer's own IDs as they sent them (other than a VN). */
    private static List<String> itemIds(String sku, List<ItemId> sent) {
        List<String> ids = new ArrayList<>(List.of("VN", sku));
        sent.stream().filter(id -> !"VN".equals(id.qualifier())).limit(9).forEach(id -> {
            ids.add(id.qualifier());
            ids.add(id.id());
        });
        return ids;
    }

    private static List<String> pairs(List<ItemId> ids) {
        List<String> flat = new ArrayList<>();
        ids.stream().limit(10).forEach(id -> {
            flat.add(id.qualifier());
            flat.add(id.id());
        });
        return flat;
    }

    /** Leading elements, then the qualifier/ID pairs. */
    private static String[] elements(String first, List<String> ids) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(ids);
        return all.toArray(String[]::new);
    }

    private static String[] elements(String lineId, String quantity, String uom, String price, String basis, List<String> ids) {
        List<String> all = new ArrayList<>(List.of(blank(lineId), quantity, uom, price, basis));
        all.addAll(ids);
        return all.toArray(String[]::new);
    }

    /** A price as X12 writes decimals: no trailing zeros beyond the cents (19.9500 is 19.95). */
    private static String money(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 2 ? value.setScale(2, RoundingMode.UNNECESSARY) : stripped).toPlainString();
    }

    private static String unitOf(OriginLine source) {
        return source == null || source.unitOfMeasure() == null ? "EA" : source.unitOfMeasure();
    }

    private static String poDate(EdiOrigin origin, LocalDateTime now) {
        return (origin.poDate() != null ? origin.poDate() : now.toLocalDate()).format(CCYYMMDD);
    }

    private static String blank(String value) {
        return value == null ? "" : value;
    }
}
