package dev.orderflow.api.simulator;

import dev.orderflow.api.simulator.CallLog.Outcome;
import dev.orderflow.orchestration.support.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The warehouse system: takes fulfillment requests (202, idempotent by {@code Idempotency-Key}) and
 * cancels them; the {@link AutoShipper} ships each new request a while later unless it was cancelled.
 */
@RestController
@ConditionalOnBooleanProperty("orderflow.simulators")
@RequestMapping(path = "/simulators/fulfillment", produces = MediaType.APPLICATION_JSON_VALUE)
class FulfillmentSimulator {

    static final String REQUEST = "fulfillment-request";
    static final String CANCEL = "cancel";

    private final SimulatorBehaviour behaviour;
    private final CallLog calls;
    private final AutoShipper shipper;

    FulfillmentSimulator(Simulators simulators, AutoShipper shipper) {
        this.behaviour = simulators.behaviour(SimulatedSystem.FULFILLMENT);
        this.calls = simulators.calls(SimulatedSystem.FULFILLMENT);
        this.shipper = shipper;
    }

    /** The body of a fulfillment request; {@code shipTo} is passed through as it came. */
    record FulfillmentRequest(
            @NotBlank @Size(max = 100) String orderId,
            @NotBlank @Size(max = 64) String warehouse,
            @NotEmpty @Size(max = 1000) List<@NotNull @Valid Line> lines,
            Map<String, Object> shipTo) {
    }

    /** One line to ship. */
    record Line(@NotNull @Min(1) Integer lineNo, @NotBlank @Size(max = 64) String sku,
            @NotNull @Min(1) @Max(1_000_000) Integer quantity) {
    }

    /** The answer to a fulfillment request. */
    record Accepted(String requestId) {
    }

    /** The answer to a cancel. */
    record Cancelled(boolean cancelled) {
    }

    @PostMapping(path = "/fulfillment-requests", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Accepted> request(@RequestHeader(name = IdempotencyKey.HEADER, required = false) String key,
            @Valid @RequestBody FulfillmentRequest request) {
        return Mono.fromCallable(() -> IdempotencyKey.required(key))
                .then(behaviour.admit())
                .then(Mono.fromSupplier(() -> accept(key, request)));
    }

    /**
     * Cancels the shipments still pending for the order. Always 200: cancelling an order the
     * simulator never saw, or twice, leaves the same state as cancelling it once.
     */
    @PostMapping("/fulfillment-requests/{orderId}/cancel")
    Mono<Cancelled> cancel(@RequestHeader(name = IdempotencyKey.HEADER, required = false) String key,
            @PathVariable String orderId) {
        return Mono.fromCallable(() -> IdempotencyKey.optional(key))
                .then(behaviour.admit())
                .then(Mono.fromSupplier(() -> cancelNow(key, orderId)));
    }

    /** Records the request; only a new one (not a replay) is shipped. */
    private Accepted accept(String key, FulfillmentRequest request) {
        Outcome<Accepted> outcome = calls.record(REQUEST, key, request.orderId(), request,
                () -> new Accepted(Ids.next().toString()));
        if (!outcome.replay()) {
            shipper.schedule(request.orderId(), outcome.answer().requestId(), request.lines());
        }
        return outcome.answer();
    }

    private Cancelled cancelNow(String key, String orderId) {
        shipper.cancel(orderId);
        return calls.record(CANCEL, key, orderId, null, () -> new Cancelled(true)).answer();
    }
}
