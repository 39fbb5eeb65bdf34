package dev.orderflow.orchestration.edi;

import dev.orderflow.orchestration.edi.EdiOrigin.OriginLine;
import dev.orderflow.orchestration.edi.EdiOrigin.RejectedItem;
import dev.orderflow.orchestration.edi.PurchaseOrder.Line;
import dev.orderflow.orchestration.edi.PurchaseOrder.Party;
import dev.orderflow.orchestration.order.FulfillmentPolicy;
import dev.orderflow.orchestration.order.InvoicingPolicy;
import dev.orderflow.orchestration.order.OrderDraft;
import dev.orderflow.orchestration.order.OrderLineDraft;
import dev.orderflow.orchestration.support.Ids;
import dev.orderflow.orchestration.support.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns one 850 into an order draft, as the contract maps it: BEG03 is the external reference, the
 * customer comes from the N1 buyer (or bill-to) loop, the address from the ship-to loop, the lines
 * from PO1 with each item resolved to a SKU. Lines whose item is unknown (or that the reader could
 * not take) are left out and remembered for the 855; a PO with no line left is not an order.
 */
final class PurchaseOrderMapping {

    /** PO lines and external references are held to the same limits as a JSON order's. */
    private static final int MAX_QUANTITY = 100_000;
    private static final int MAX_TEXT = 100;
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final BigDecimal MAX_PRICE = new BigDecimal("9999999999999.9999");

    private PurchaseOrderMapping() {
    }

    /** What became of one 850: a draft to take, or the reason there is none. */
    record Mapped(PurchaseOrder purchaseOrder, OrderDraft draft, String refusal) {
        static Mapped refused(PurchaseOrder po, String why) {
            return new Mapped(po, null, why);
        }
    }

    static Mapped map(PurchaseOrder po, X12Envelope envelope, EdiContext context, ItemResolution items) {
        if (po.externalRef() == null || po.externalRef().length() > MAX_TEXT) {
            return Mapped.refused(po, "BEG03 purchase order number missing or longer than " + MAX_TEXT);
        }
        List<OrderLineDraft> lines = new ArrayList<>();
        List<OriginLine> originLines = new ArrayList<>();
        List<RejectedItem> rejected = new ArrayList<>();
        po.rejectedLines().forEach(line -> rejected.add(new RejectedItem(line.lineId(), null, null, null, List.of(), line.reason())));
        for (Line line : po.lines()) {
            Optional<String> sku = items.sku(line);
            String problem = sku.isEmpty() ? "unknown item" : lineProblem(line);
            if (problem != null) {
                rejected.add(new RejectedItem(line.lineId(), line.quantity(), line.unitOfMeasure(), line.unitPrice(),
                        line.itemIds(), problem));
                continue;
            }
            int lineNo = lines.size() + 1;
            BigDecimal price = line.unitPrice() == null ? BigDecimal.ZERO : line.unitPrice();
            lines.add(new OrderLineDraft(lineNo, sku.get(), line.quantity(), price, BigDecimal.ZERO));
            originLines.add(new OriginLine(lineNo, line.lineId(), line.unitOfMeasure(), line.itemIds()));
        }
        if (lines.isEmpty()) {
            return Mapped.refused(po, "no line names a known item");
        }
        EdiOrigin origin = new EdiOrigin(EdiOrigin.KIND, envelope.senderQualifier(), envelope.senderId(),
                envelope.receiverQualifier(), envelope.receiverId(), envelope.version(), groupVersion(envelope, po),
                envelope.usageIndicator(), EdiOrigin.delimitersOf(envelope.delimiters()), envelope.controlNumber(),
                po.externalRef(), po.poDate(), originLines, rejected);
        OrderDraft draft = new OrderDraft(Ids.next(), context.channel(), context.principalId(), context.actor(),
                idempotencyKey(envelope, po), fingerprint(po), po.externalRef(), customerId(po, envelope),
                currency(po), context.warehouse(), FulfillmentPolicy.SHIP_PARTIAL, InvoicingPolicy.ON_SHIPMENT,
                shipTo(po.shipTo()), lines, context.receivedAt(), Json.write(origin));
        return new Mapped(po, draft, null);
    }

    /** The customer whose cross-reference resolves buyer part numbers: the same one the order is for. */
    static String customerId(PurchaseOrder po, X12Envelope envelope) {
        Party buyer = po.buyer();
        String id = buyer == null ? null : buyer.id() != null ? buyer.id() : buyer.name();
        String customer = id != null ? id : envelope.senderId();
        return customer.length() > MAX_TEXT ? customer.substring(0, MAX_TEXT) : customer;
    }

    /** (sender, PO number): the same PO from the same sender is the same order, whichever interchange brings it. */
    static String idempotencyKey(X12Envelope envelope, PurchaseOrder po) {
        return "x12:" + envelope.senderQualifier() + ":" + envelope.senderId() + ":" + po.externalRef();
    }

    private static String lineProblem(Line line) {
        if (line.quantity() > MAX_QUANTITY) {
            return "quantity above " + MAX_QUANTITY;
        }
        if (line.unitPrice() != null && (line.unitPrice().signum() < 0 || line.unitPrice().compareTo(MAX_PRICE) > 0)) {
            return "unit price out of range";
        }
        return null;
    }

    private static String groupVersion(X12Envelope envelope, PurchaseOrder po) {
        return envelope.groups().stream()
                .filter(group -> group.controlNumber().equals(po.groupControlNumber()))
                .map(X12Envelope.Group::version)
                .findFirst()
                .orElse(null);
    }

    private static String currency(PurchaseOrder po) {
        return po.currency() != null && CURRENCY.matcher(po.currency()).matches() ? po.currency() : "USD";
    }

    /** The PO as read, without the envelope's control numbers: a resend in a new interchange is the same request. */
    private static byte[] fingerprint(PurchaseOrder po) {
        PurchaseOrder content = new PurchaseOrder(null, null, po.externalRef(), po.poDate(), po.buyer(), po.shipTo(),
                po.currency(), po.lines(), po.rejectedLines());
        try {
            return MessageDigest.getInstance("SHA-256").digest(Json.write(content).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }

    private static Map<String, Object> shipTo(Party party) {
        if (party == null) {
            return null;
        }
        Map<String, Object> address = new LinkedHashMap<>();
        put(address, "name", party.name());
        List<String> street = party.addressLines();
        put(address, "line1", street.isEmpty() ? null : street.get(0));
        put(address, "line2", street.size() < 2 ? null : String.join(", ", street.subList(1, street.size())));
        put(address, "city", party.city());
        put(address, "region", party.state());
        put(address, "postalCode", party.postalCode());
        put(address, "country", party.country() != null && COUNTRY.matcher(party.country()).matches() ? party.country() : null);
        return address;
    }

    private static void put(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
