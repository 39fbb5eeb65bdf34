package dev.orderflow.orchestration.edi;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Each customer's own part numbers for our SKUs, per channel: how a PO1 line that names an item only
 * by the buyer's number ({@code BP}, {@code IN}) finds its SKU.
 */
public class ItemCrossReferences {

    private final DatabaseClient db;
    private final Clock clock;

    public ItemCrossReferences(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** One buyer part number and the SKU it means. */
    public record Entry(String buyerPart, String sku) {
    }

    /** A buyer part number of one customer. */
    record CustomerPart(String customerId, String buyerPart) {
    }

    /** Adds or replaces entries of one customer. */
    public Mono<Void> put(String channel, String customerId, List<Entry> entries) {
        return db.sql("""
                        INSERT INTO edi_item_xref (channel, customer_id, buyer_part, sku, updated_at)
                        SELECT :channel, :customer, p, s, :now FROM unnest(CAST(:parts AS text[]), CAST(:skus AS text[])) AS t(p, s)
                        ON CONFLICT (channel, customer_id, buyer_part) DO UPDATE SET sku = excluded.sku, updated_at = excluded.updated_at""")
                .bind("channel", channel)
                .bind("customer", customerId)
                .bind("parts", entries.stream().map(Entry::buyerPart).toArray(String[]::new))
                .bind("skus", entries.stream().map(Entry::sku).toArray(String[]::new))
                .bind("now", clock.instant().atOffset(ZoneOffset.UTC))
                .then();
    }

    public Flux<Entry> list(String channel, String customerId) {
        return db.sql("SELECT buyer_part, sku FROM edi_item_xref WHERE channel = :channel AND customer_id = :customer ORDER BY buyer_part")
                .bind("channel", channel)
                .bind("customer", customerId)
                .map(row -> new Entry(row.get("buyer_part", String.class), row.get("sku", String.class)))
                .all();
    }

    /** Answers whether there was such an entry. */
    public Mono<Boolean> remove(String channel, String customerId, String buyerPart) {
        return db.sql("DELETE FROM edi_item_xref WHERE channel = :channel AND customer_id = :customer AND buyer_part = :part")
                .bind("channel", channel)
                .bind("customer", customerId)
                .bind("part", buyerPart)
                .fetch()
                .rowsUpdated()
                .map(count -> count > 0);
    }

    /** The SKUs these buyer part numbers mean, where the customers have said. One query for a whole interchange. */
    Mono<Map<CustomerPart, String>> lookUp(String channel, Collection<CustomerPart> parts) {
        if (parts.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("""
                        SELECT x.customer_id, x.buyer_part, x.sku
                        FROM edi_item_xref x
                        JOIN unnest(CAST(:customers AS text[]), CAST(:parts AS text[])) AS t(c, p)
                          ON x.customer_id = t.c AND x.buyer_part = t.p
                        WHERE x.channel = :channel""")
                .bind("customers", parts.stream().map(CustomerPart::customerId).toArray(String[]::new))
                .bind("parts", parts.stream().map(CustomerPart::buyerPart).toArray(String[]::new))
                .bind("channel", channel)
                .map(row -> Map.entry(new CustomerPart(row.get("customer_id", String.class), row.get("buyer_part", String.class)),
                        row.get("sku", String.class)))
                .all()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
    }
}
