package dev.orderflow.orchestration.edi;

import dev.orderflow.orchestration.edi.PurchaseOrder.ItemId;
import dev.orderflow.orchestration.edi.PurchaseOrder.Line;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Which of our SKUs a PO1 line means. The line carries qualifier/ID pairs; the first that names a
 * known SKU wins, trying the seller's own numbers ({@code VN}, {@code VP}) first, then UPC/GTIN
 * ({@code UP}, {@code EN}), then the buyer's numbers ({@code BP}, {@code IN}) through the customer's
 * item cross-reference. Within a class the pairs are tried in the order sent.
 */
final class ItemResolution {

    private static final List<Set<String>> DIRECT = List.of(Set.of("VN", "VP"), Set.of("UP", "EN"));
    private static final Set<String> BUYER = Set.of("BP", "IN");

    private final Set<String> knownSkus;
    private final Function<String, String> crossReference;

    /**
     * @param knownSkus the candidates that are SKUs at the warehouse
     * @param crossReference the customer's buyer part number to the SKU, or null where there is none
     */
    ItemResolution(Set<String> knownSkus, Function<String, String> crossReference) {
        this.knownSkus = knownSkus;
        this.crossReference = crossReference;
    }

    /** Every ID that could be a SKU as it is: what to look up at the warehouse. */
    static Stream<String> directIds(Line line) {
        return line.itemIds().stream().filter(id -> DIRECT.stream().anyMatch(q -> q.contains(id.qualifier()))).map(ItemId::id);
    }

    /** The buyer's own part numbers on the line: what to look up in the cross-reference. */
    static Stream<String> buyerParts(Line line) {
        return line.itemIds().stream().filter(id -> BUYER.contains(id.qualifier())).map(ItemId::id);
    }

    Optional<String> sku(Line line) {
        for (Set<String> qualifiers : DIRECT) {
            Optional<String> found = line.itemIds().stream()
                    .filter(id -> qualifiers.contains(id.qualifier()) && knownSkus.contains(id.id()))
                    .map(ItemId::id)
                    .findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return buyerParts(line).map(crossReference).filter(sku -> sku != null && knownSkus.contains(sku)).findFirst();
    }
}
