package dev.orderflow.api.simulator;

import dev.orderflow.orchestration.support.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The invoicing system: raises invoices and credit notes (201, idempotent by {@code Idempotency-Key}). */
@RestController
@ConditionalOnBooleanProperty("orderflow.simulators")
@RequestMapping(path = "/simulators/invoicing", produces = MediaType.APPLICATION_JSON_VALUE)
class InvoicingSimulator {

    static final String INVOICE = "invoice";

    private final SimulatorBehaviour behaviour;
    private final CallLog calls;

    InvoicingSimulator(Simulators simulators) {
        this.behaviour = simulators.behaviour(SimulatedSystem.INVOICING);
        this.calls = simulators.calls(SimulatedSystem.INVOICING);
    }

    /** An invoice raises money owed; a credit note gives some back. */
    enum Kind {
        INVOICE,
        CREDIT_NOTE
    }

    /** The body of {@code POST /invoices}; money is a decimal string ("37.50"). */
    record InvoiceRequest(
            @NotBlank @Size(max = 100) String orderId,
            @NotBlank @Size(max = 100) String customerId,
            @NotNull Kind kind,
            @NotEmpty @Size(max = 1000) List<@NotNull @Valid Line> lines,
            @NotNull BigDecimal total,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD") String currency) {
    }

    /** One invoiced line. */
    record Line(@NotNull @Min(1) Integer lineNo, @NotBlank @Size(max = 64) String sku, @NotNull @Min(1) Integer quantity,
            @NotNull BigDecimal amount) {
    }

    /** The answer to {@code POST /invoices}. */
    record Raised(String invoiceId) {
    }

    @PostMapping(path = "/invoices", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Mono<Raised> raise(@RequestHeader(name = IdempotencyKey.HEADER, required = false) String key,
            @Valid @RequestBody InvoiceRequest invoice) {
        return Mono.fromCallable(() -> IdempotencyKey.required(key))
                .then(behaviour.admit())
                .then(Mono.fromSupplier(() -> record(key, invoice)));
    }

    private Raised record(String key, InvoiceRequest invoice) {
        return calls.record(INVOICE, key, invoice.orderId(), invoice, () -> new Raised(Ids.next().toString())).answer();
    }
}
