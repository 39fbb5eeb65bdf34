package dev.orderflow.api.order;

import dev.orderflow.orchestration.order.FulfillmentPolicy;
import dev.orderflow.orchestration.order.InvoicingPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/** {@code POST /v1/orders}. Money is a decimal string ("12.50"); quantities are integers. */
public record OrderRequest(
        @NotBlank @Size(max = 100) String externalRef,
        @NotBlank @Size(max = 100) String customerId,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD") String currency,
        @Valid ShipTo shipTo,
        @Size(min = 1, max = 64) @Pattern(regexp = Codes.PATTERN, message = Codes.MESSAGE) String warehouse,
        FulfillmentPolicy fulfillmentPolicy,
        InvoicingPolicy invoicingPolicy,
        @NotEmpty @Size(max = OrderRequest.MAX_LINES) List<@NotNull @Valid Line> lines) {

    static final int MAX_LINES = 200;

    /** One line. */
    public record Line(
            @NotBlank @Size(max = 64) @Pattern(regexp = Codes.PATTERN, message = Codes.MESSAGE) String sku,
            @NotNull @Min(1) @Max(100_000) Integer quantity,
            @NotNull @DecimalMin("0") @Digits(integer = 13, fraction = 4) BigDecimal unitPrice,
            @DecimalMin("0") @DecimalMax("100") @Digits(integer = 3, fraction = 4) BigDecimal discountPercent) {
    }

    /** Where the goods go. */
    public record ShipTo(
            @Size(max = 200) String name,
            @Size(max = 200) String line1,
            @Size(max = 200) String line2,
            @Size(max = 100) String city,
            @Size(max = 100) String region,
            @Size(max = 20) String postalCode,
            @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 alpha-2 code such as US") String country) {
    }
}
