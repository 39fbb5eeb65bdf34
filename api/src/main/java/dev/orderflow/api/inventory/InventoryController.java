package dev.orderflow.api.inventory;

import dev.orderflow.api.order.Codes;
import dev.orderflow.orchestration.audit.Actor;
import dev.orderflow.orchestration.audit.AuditLog;
import dev.orderflow.orchestration.order.BackorderAllocator;
import dev.orderflow.orchestration.principal.Principal;
import dev.orderflow.orchestration.stock.Inventory;
import dev.orderflow.orchestration.stock.MovementKind;
import dev.orderflow.orchestration.stock.StockChange;
import dev.orderflow.orchestration.stock.StockLevel;
import dev.orderflow.orchestration.support.DomainException;
import dev.orderflow.orchestration.support.FieldError;
import dev.orderflow.orchestration.support.ValidationException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stock: counts, receipts and adjustments (warehouse role), availability (anyone signed in). Any
 * increase of on-hand is offered to waiting backorders before the answer goes back.
 */
@RestController
@RequestMapping(path = "/v1/inventory", produces = MediaType.APPLICATION_JSON_VALUE)
class InventoryController {

    private static final int MAX_SKUS_PER_QUERY = 100;

    private final Inventory inventory;
    private final BackorderAllocator backorders;
    private final AuditLog audit;

    InventoryController(Inventory inventory, BackorderAllocator backorders, AuditLog audit) {
        this.inventory = inventory;
        this.backorders = backorders;
        this.audit = audit;
    }

    @PutMapping(path = "/{warehouse}/{sku}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<StockLevel> count(@PathVariable @Pattern(regexp = Codes.PATTERN, message = Codes.MESSAGE) String warehouse,
            @PathVariable @Pattern(regexp = Codes.PATTERN, message = Codes.MESSAGE) String sku,
            @Valid @RequestBody InventoryRequests.Count count, @AuthenticationPrincipal Principal principal) {
        StockChange change = StockChange.count(warehouse, sku, count.onHand(), count.reason(), principal.name());
        return apply(warehouse, List.of(change), principal).map(levels -> levels.get(0));
    }

    @PostMapping(path = "/receipts", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, List<StockLevel>>> receive(@Valid @RequestBody InventoryRequests.Receipt receipt,
            @AuthenticationPrincipal Principal principal) {
        List<StockChange> changes = receipt.lines().stream()
                .map(line -> StockChange.receipt(receipt.warehouse(), line.sku(), line.quantity(), receipt.reference(), principal.name()))
                .toList();
        return apply(receipt.warehouse(), changes, principal).map(levels -> Map.of("items", levels));
    }

    @PostMapping(path = "/adjustments", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<StockLevel> adjust(@Valid @RequestBody InventoryRequests.Adjustment adjustment,
            @AuthenticationPrincipal Principal principal) {
        if (adjustment.delta() == 0) {
            throw new ValidationException(DomainException.Kind.INVALID, "An adjustment must change on-hand.",
                    List.of(new FieldError("delta", "must not be 0")));
        }
        StockChange change = StockChange.adjustment(adjustment.warehouse(), adjustment.sku(), adjustment.delta(),
                adjustment.reason(), principal.name());
        return apply(adjustment.warehouse(), List.of(change), principal).map(levels -> levels.get(0));
    }

    @GetMapping("/availability")
    Mono<Map<String, List<StockLevel>>> availability(@RequestParam(name = "sku", required = false) List<String> skus,
            @RequestParam(required = false) String warehouse) {
        if (skus == null || skus.isEmpty() || skus.size() > MAX_SKUS_PER_QUERY) {
            return Mono.error(new ValidationException(DomainException.Kind.INVALID, "Ask for 1 to 100 SKUs.",
                    List.of(new FieldError("sku", "give 1 to " + MAX_SKUS_PER_QUERY + " sku parameters"))));
        }
        return inventory.levels(skus, warehouse).collectList().map(levels -> Map.of("items", levels));
    }

    /** One audit entry per change, in the changes' own transaction. */
    private Mono<Void> audited(String warehouse, List<StockChange> changes, Principal principal) {
        return Flux.fromIterable(changes)
                .concatMap(change -> audit.record(Actor.of(principal), "stock." + change.kind().name().toLowerCase(Locale.ROOT),
                        "stock", warehouse + "/" + change.sku(), details(change)))
                .then();
    }

    private static Map<String, Object> details(StockChange change) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("warehouse", change.warehouse());
        details.put("sku", change.sku());
        if (change.kind() == MovementKind.COUNT) {
            details.put("onHand", change.countedOnHand());
        } else {
            details.put("delta", change.delta());
        }
        if (change.reason() != null) {
            details.put("reason", change.reason());
        }
        if (change.reference() != null) {
            details.put("reference", change.reference());
        }
        return details;
    }

    private Mono<List<StockLevel>> apply(String warehouse, List<StockChange> changes, Principal principal) {
        List<String> skus = changes.stream().map(StockChange::sku).distinct().toList();
        return inventory.apply(warehouse, changes, audited(warehouse, changes, principal))
                .flatMap(levels -> backorders.allocate(warehouse, skus, principal.name())
                        .then(inventory.levels(skus, warehouse).collectList()));
    }
}
