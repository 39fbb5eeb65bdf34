package dev.orderflow.api.inventory;

import dev.orderflow.api.order.Codes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The bodies of the inventory endpoints. */
final class InventoryRequests {

    static final String REASON = "[A-Z][A-Z0-9_]{0,39}";
    static final String REASON_MESSAGE = "an upper-case reason code such as CYCLE_COUNT or DAMAGED";

    private InventoryRequests() {
    }

    /** {@code PUT /v1/inventory/{warehouse}/{sku}}: on-hand as counted. */
    record Count(@NotNull @Min(0) @Max(1_000_000_000) Long onHand,
            @NotBlank @Pattern(regexp = REASON, message = REASON_MESSAGE) String reason) {
    }

    /** {@code POST /v1/inventory/receipts}. */
    record Receipt(@NotBlank @Pattern(regexp = Codes.PATTERN, message = Codes.MESSAGE) String warehouse,
            @NotEmpty @Size(max = 500) List<@NotNull @Valid ReceiptLine> lines,
            @Size(max = 100) String reference) {
    }

    record ReceiptLine(@NotBlank @Pattern(regexp = Codes.PATTERN, message = Codes.MESSAGE) String sku,
            @NotNull @Min(1) @Max(1_000_000_000) Long quantity) {
    }

    /** {@code POST /v1/inventory/adjustments}: a correction; the reason code is required. */
    record Adjustment(@NotBlank @Pattern(regexp = Codes.PATTERN, message = Codes.MESSAGE) String warehouse,
            @NotBlank @Pattern(regexp = Codes.PATTERN, message = Codes.MESSAGE) String sku,
            @NotNull @Min(-1_000_000_000) @Max(1_000_000_000) Long delta,
            @NotBlank @Pattern(regexp = REASON, message = REASON_MESSAGE) String reason) {
    }
}
