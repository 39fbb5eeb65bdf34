package dev.orderflow.api.edi;

import dev.orderflow.api.order.Codes;
import dev.orderflow.orchestration.edi.ItemCrossReferences;
import dev.orderflow.orchestration.principal.Principal;
import dev.orderflow.orchestration.support.DomainException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A customer's item cross-reference, kept by the channel the customer orders through: the buyer's part
 * numbers ({@code BP}, {@code IN} on PO1) and the SKUs they mean.
 */
@RestController
@RequestMapping(path = "/v1/edi/customers/{customerId}/items", produces = MediaType.APPLICATION_JSON_VALUE)
class CrossReferenceController {

    private final ItemCrossReferences crossReferences;

    CrossReferenceController(ItemCrossReferences crossReferences) {
        this.crossReferences = crossReferences;
    }

    /** {@code PUT}: adds or replaces the given entries (others stay). */
    record Entries(@NotEmpty @Size(max = 1000) List<@NotNull @Valid Entry> items) {
    }

    record Entry(@NotBlank @Size(max = 48) String buyerPart,
            @NotBlank @Size(max = 64) @Pattern(regexp = Codes.PATTERN, message = Codes.MESSAGE) String sku) {
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> put(@PathVariable @Size(max = 100) String customerId, @Valid @RequestBody Entries entries,
            @AuthenticationPrincipal Principal principal) {
        String channel = channelOf(principal);
        List<ItemCrossReferences.Entry> items = entries.items().stream()
                .map(entry -> new ItemCrossReferences.Entry(entry.buyerPart(), entry.sku()))
                .toList();
        return crossReferences.put(channel, customerId, items).then(list(channel, customerId));
    }

    @GetMapping
    Mono<Map<String, Object>> get(@PathVariable String customerId, @AuthenticationPrincipal Principal principal) {
        return list(channelOf(principal), customerId);
    }

    @DeleteMapping("/{buyerPart}")
    Mono<ResponseEntity<Void>> delete(@PathVariable String customerId, @PathVariable String buyerPart,
            @AuthenticationPrincipal Principal principal) {
        return crossReferences.remove(channelOf(principal), customerId, buyerPart)
                .flatMap(removed -> removed ? Mono.just(ResponseEntity.noContent().<Void>build())
                        : Mono.error(new DomainException(DomainException.Kind.NOT_FOUND, "no-such-item", "No such item",
                                "Customer " + customerId + " has no cross-reference for " + buyerPart + ".")));
    }

    private Mono<Map<String, Object>> list(String channel, String customerId) {
        return crossReferences.list(channel, customerId).collectList()
                .map(items -> Map.of("customerId", customerId, "items", items));
    }

    private static String channelOf(Principal principal) {
        if (principal.channels().isEmpty()) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "no-channel", "No channel",
                    "Cross-references belong to a channel, and your principal has none.");
        }
        return principal.channels().get(0);
    }
}
