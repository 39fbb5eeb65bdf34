package dev.orderflow.orchestration.edi;

import dev.orderflow.orchestration.edi.EdiDocumentWriter.Invoice;
import dev.orderflow.orchestration.edi.EdiDocumentWriter.InvoiceLine;
import dev.orderflow.orchestration.edi.EdiDocumentWriter.Line;
import dev.orderflow.orchestration.edi.EdiDocumentWriter.Shipment;
import dev.orderflow.orchestration.outbox.FeedEvent;
import dev.orderflow.orchestration.outbox.OutboxCursor;
import dev.orderflow.orchestration.outbox.OutboxFeed;
import dev.orderflow.orchestration.support.Ids;
import dev.orderflow.orchestration.support.Json;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The documents an EDI order's sender gets back: the 855 once the order is taken, an 856 per
 * shipment, an 810 per invoice. A durable reader of the outbox notices each change of an order that
 * came from an 850, writes whatever document is now due, stores it (what {@code GET .../edi/855}
 * serves) and appends an {@code edi.855}/{@code edi.856}/{@code edi.810} event carrying it, which the
 * webhooks and live streams deliver like any other event. All in the transaction that moves its
 * cursor: a document is written once, whatever fails.
 */
public class EdiDocuments {

    public static final String CURSOR = "edi-documents";
    public static final String ACK = "855";
    public static final String SHIP_NOTICE = "856";
    public static final String INVOICE = "810";
    /** The event of a document set aside because it cannot be written ({@link #setAside}). */
    public static final String UNWRITABLE_EVENT = "edi.unwritable";
    private static final int BATCH = 200;
    private static final Logger LOG = LoggerFactory.getLogger(EdiDocuments.class);

    private final DatabaseClient db;
    private final OutboxFeed feed;
    private final OutboxCursor cursor;
    private final TransactionalOperator tx;
    private final Clock clock;

    public EdiDocuments(DatabaseClient db, OutboxFeed feed, TransactionalOperator tx, Clock clock) {
        this.db = db;
        this.feed = feed;
        this.cursor = new OutboxCursor(db, CURSOR);
        this.tx = tx;
        this.clock = clock;
    }

    /** A document as sent. */
    public record Document(String kind, String sourceId, long controlNumber, String body, OffsetDateTime createdAt) {
    }

    /** The order's documents of one kind, oldest first; none before they are due. */
    public Flux<Document> of(UUID orderId, String kind) {
        return db.sql("""
                        SELECT kind, source_id, control_number, body, created_at FROM edi_document
                        WHERE order_id = :order AND kind = :kind AND body IS NOT NULL ORDER BY created_at, source_id""")
                .bind("order", orderId)
                .bind("kind", kind)
                .map(row -> new Document(row.get("kind", String.class), row.get("source_id", String.class),
                        row.get("control_number", Long.class), row.get("body", String.class),
                        row.get("created_at", OffsetDateTime.class)))
                .all();
    }

    /** Whether the order came from an 850 (only those have documents). */
    public Mono<Boolean> isEdiOrder(UUID orderId) {
        return db.sql("SELECT origin IS NOT NULL FROM orders WHERE id = :id")
                .bind("id", orderId)
                .map(row -> row.get(0, Boolean.class))
                .one()
                .defaultIfEmpty(false);
    }

    /** One pass; answers how many events it read (0 when another instance holds the turn). */
    public Mono<Integer> runOnce() {
        return cursor.tryTurn()
                .flatMap(mine -> mine ? readEvents() : Mono.just(0))
                .as(tx::transactional);
    }

    private Mono<Integer> readEvents() {
        return cursor.position()
                .flatMap(position -> feed.after(position, BATCH).collectList())
                .filter(events -> !events.isEmpty())
                .flatMap(events -> writeDue(ordersChanged(events))
                        .then(cursor.advance(events.get(events.size() - 1).position()))
                        .thenReturn(events.size()))
                .defaultIfEmpty(0);
    }

    /** Orders whose state changed; their own edi.* events change nothing a document shows. */
    private static List<UUID> ordersChanged(List<FeedEvent> events) {
        Set<UUID> ids = new HashSet<>();
        events.stream().filter(fed -> !fed.event().type().startsWith("edi.")).forEach(fed -> ids.add(fed.event().orderId()));
        return List.copyOf(ids);
    }

    private Mono<Void> writeDue(List<UUID> changed) {
        if (changed.isEmpty()) {
            return Mono.empty();
        }
        return origins(changed)
                .flatMap(origins -> origins.isEmpty() ? Mono.empty() : sources(origins)
                        .flatMapMany(sources -> Flux.fromIterable(sources.due(clock)))
                        .concatMap(this::store)
                        .then());
    }

    private Mono<Map<UUID, EdiOrigin>> origins(List<UUID> orderIds) {
        return db.sql("SELECT id, origin::text AS origin FROM orders WHERE id = ANY(:ids) AND origin IS NOT NULL")
                .bind("ids", orderIds.toArray(UUID[]::new))
                .map(row -> Map.entry(row.get("id", UUID.class), Json.read(row.get("origin", String.class), EdiOrigin.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /** Everything the due documents are written from, for all the orders at once. */
    private Mono<Sources> sources(Map<UUID, EdiOrigin> origins) {
        UUID[] ids = origins.keySet().toArray(UUID[]::new);
        Mono<Map<UUID, List<Line>>> lines = db.sql("""
                        SELECT e.order_id, l.line_no, l.sku, l.quantity, l.unit_price,
                               (SELECT (x->>'reserved')::int FROM jsonb_array_elements(e.data->'lines') x
                                WHERE (x->>'lineNo')::int = l.line_no) AS reserved_at_intake,
                               (SELECT (x->>'backordered')::int FROM jsonb_array_elements(e.data->'lines') x
                                WHERE (x->>'lineNo')::int = l.line_no) AS backordered_at_intake
                        FROM order_event e JOIN order_line l ON l.order_id = e.order_id
                        WHERE e.order_id = ANY(:ids) AND e.order_seq = 1
                        ORDER BY e.order_id, l.line_no""")
                .bind("ids", ids)
                .map(row -> Map.entry(row.get("order_id", UUID.class), new Line(row.get("line_no", Integer.class),
                        row.get("sku", String.class), row.get("quantity", Integer.class), row.get("unit_price", BigDecimal.class),
                        orZero(row.get("reserved_at_intake", Integer.class)), orZero(row.get("backordered_at_intake", Integer.class)))))
                .all()
                .collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
                .map(EdiDocuments::asLists);
        Mono<Set<String>> written = db.sql("SELECT order_id, kind, source_id FROM edi_document WHERE order_id = ANY(:ids)")
                .bind("ids", ids)
                .map(row -> documentKey(row.get("order_id", UUID.class), row.get("kind", String.class), row.get("source_id", String.class)))
                .all()
                .collect(HashSet::new, Set::add);
        Mono<List<Map.Entry<UUID, Shipment>>> shipments = db.sql("""
                        SELECT order_id, shipment_id, carrier, tracking_number, lines::text AS lines, created_at
                        FROM shipment WHERE order_id = ANY(:ids) ORDER BY created_at""")
                .bind("ids", ids)
                .map(row -> Map.entry(row.get("order_id", UUID.class), new Shipment(row.get("shipment_id", String.class),
                        row.get("carrier", String.class), row.get("tracking_number", String.class),
                        unitsByLine(row.get("lines", String.class)),
                        row.get("created_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime())))
                .all()
                .collectList();
        Mono<List<Map.Entry<UUID, Invoice>>> invoices = db.sql("""
                        SELECT order_id, kind, external_id, total, lines::text AS lines, created_at
                        FROM invoice WHERE order_id = ANY(:ids) ORDER BY created_at""")
                .bind("ids", ids)
                .map(row -> Map.entry(row.get("order_id", UUID.class), new Invoice(row.get("external_id", String.class),
                        "CREDIT_NOTE".equals(row.get("kind", String.class)), row.get("total", BigDecimal.class),
                        invoiceLines(row.get("lines", String.class)),
                        row.get("created_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate())))
                .all()
                .collectList();
        return Mono.zip(lines, written, shipments, invoices)
                .map(all -> new Sources(origins, all.getT1(), all.getT2(), all.getT3(), all.getT4()));
    }

    /** A document due, not yet written. */
    private record Due(UUID orderId, String kind, String sourceId, Writer writer) {
    }

    private interface Writer {
        String write(long controlNumber);
    }

    private record Sources(Map<UUID, EdiOrigin> origins, Map<UUID, List<Line>> lines, Set<String> written,
            List<Map.Entry<UUID, Shipment>> shipments, List<Map.Entry<UUID, Invoice>> invoices) {

        List<Due> due(Clock clock) {
            LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
            List<Due> due = new ArrayList<>();
            origins.forEach((orderId, origin) -> {
                List<Line> orderLines = lines.getOrDefault(orderId, List.of());
                if (!written.contains(documentKey(orderId, ACK, orderId.toString()))) {
                    due.add(new Due(orderId, ACK, orderId.toString(),
                            control -> EdiDocumentWriter.ack855(origin, orderId.toString(), orderLines, control, now)));
                }
            });
            shipments.stream()
                    .filter(entry -> !written.contains(documentKey(entry.getKey(), SHIP_NOTICE, entry.getValue().shipmentId())))
                    .forEach(entry -> due.add(new Due(entry.getKey(), SHIP_NOTICE, entry.getValue().shipmentId(),
                            control -> EdiDocumentWriter.shipNotice856(origins.get(entry.getKey()), lines.getOrDefault(entry.getKey(), List.of()),
                                    entry.getValue(), control, now))));
            invoices.stream()
                    .filter(entry -> !written.contains(documentKey(entry.getKey(), INVOICE, entry.getValue().invoiceNumber())))
                    .forEach(entry -> due.add(new Due(entry.getKey(), INVOICE, entry.getValue().invoiceNumber(),
                            control -> EdiDocumentWriter.invoice810(origins.get(entry.getKey()), lines.getOrDefault(entry.getKey(), List.of()),
                                    entry.getValue(), control, now))));
            return due;
        }
    }

    /** Stores the document and appends its event to the order (timeline and outbox). */
    private Mono<Void> store(Due due) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return db.sql("SELECT nextval('edi_control_number')")
                .map(row -> row.get(0, Long.class))
                .one()
                .flatMap(control -> writeAndStore(due, control, now));
    }

    private Mono<Void> writeAndStore(Due due, long control, OffsetDateTime now) {
        String body;
        try {
            body = due.writer().write(control);
        } catch (UnwritableDocumentException unwritable) {
            return setAside(due, control, unwritable.getMessage(), now);
        }
        return insert(due, control, body, null, now)
                .then(appendEvent(due, "edi." + due.kind(), Map.of("sourceId", due.sourceId(),
                        "controlNumber", control, "document", body), now));
    }

    /**
     * A document that cannot be written from what the order holds would fail every pass and hold up
     * every document behind it: it is recorded with the reason, and the order's timeline (and
     * whoever follows its {@code edi.*} events) learns that it will not come.
     */
    private Mono<Void> setAside(Due due, long control, String reason, OffsetDateTime now) {
        LOG.warn("EDI {} {} of order {} set aside: {}", due.kind(), due.sourceId(), due.orderId(), reason);
        return insert(due, control, null, reason, now)
                .then(appendEvent(due, UNWRITABLE_EVENT, Map.of("kind", due.kind(), "sourceId", due.sourceId(), "reason", reason), now));
    }

    private Mono<Void> insert(Due due, long control, String body, String failure, OffsetDateTime now) {
        return db.sql("""
                        INSERT INTO edi_document (order_id, kind, source_id, control_number, body, failure, created_at)
                        VALUES (:order, :kind, :source, :control, :body, :failure, :now)""")
                .bind("order", due.orderId()).bind("kind", due.kind()).bind("source", due.sourceId())
                .bind("control", control)
                .bind("body", Parameter.fromOrEmpty(body, String.class))
                .bind("failure", Parameter.fromOrEmpty(failure, String.class))
                .bind("now", now)
                .then();
    }

    /** The order's own fields, then what the event adds ({@code details}). */
    private Mono<Void> appendEvent(Due due, String type, Map<String, Object> details, OffsetDateTime now) {
        return db.sql("""
                        WITH o AS (UPDATE orders SET event_seq = event_seq + 1, updated_at = :now WHERE id = :order
                                   RETURNING id, channel, external_ref, status, event_seq)
                        INSERT INTO order_event (id, order_id, order_seq, channel, type, actor, data, created_at)
                        SELECT :eventId, o.id, o.event_seq, o.channel, :type, 'edi',
                               jsonb_build_object('orderId', o.id, 'externalRef', o.external_ref, 'channel', o.channel,
                                                  'status', o.status) || CAST(:details AS jsonb),
                               :now
                        FROM o""")
                .bind("now", now).bind("order", due.orderId()).bind("eventId", Ids.next())
                .bind("type", type).bind("details", Json.write(details))
                .then();
    }

    private static String documentKey(UUID orderId, String kind, String sourceId) {
        return orderId + "/" + kind + "/" + sourceId;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static Map<UUID, List<Line>> asLists(Map<UUID, java.util.Collection<Line>> multimap) {
        Map<UUID, List<Line>> lists = new HashMap<>();
        multimap.forEach((id, lines) -> lists.put(id, List.copyOf(lines)));
        return lists;
    }

    private static Map<Integer, Integer> unitsByLine(String json) {
        Map<Integer, Integer> units = new LinkedHashMap<>();
        for (Map<String, Object> line : Json.readList(json)) {
            units.merge(((Number) line.get("lineNo")).intValue(), ((Number) line.get("quantity")).intValue(), Integer::sum);
        }
        return units;
    }

    private static List<InvoiceLine> invoiceLines(String json) {
        return Json.readList(json).stream()
                .map(line -> new InvoiceLine(((Number) line.get("lineNo")).intValue(), ((Number) line.get("quantity")).intValue(),
                        new BigDecimal(String.valueOf(line.get("amount")))))
                .toList();
    }
}
