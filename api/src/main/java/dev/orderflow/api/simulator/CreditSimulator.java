package dev.orderflow.api.simulator;

import dev.orderflow.api.simulator.CreditRules.Verdict;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The credit check system: {@code POST /simulators/credit/credit-checks}, decided by {@link CreditRules}. */
@RestController
@ConditionalOnBooleanProperty("orderflow.simulators")
@RequestMapping(path = "/simulators/credit", produces = MediaType.APPLICATION_JSON_VALUE)
class CreditSimulator {

    static final String CHECK = "credit-check";

    private final CreditRules rules;
    private final SimulatorBehaviour behaviour;
    private final CallLog calls;

    CreditSimulator(CreditRules rules, Simulators simulators) {
        this.rules = rules;
        this.behaviour = simulators.behaviour(SimulatedSystem.CREDIT);
        this.calls = simulators.calls(SimulatedSystem.CREDIT);
    }

    /** The body of a credit check; {@code amount} is a decimal string ("37.50"). */
    record CreditCheck(
            @NotBlank @Size(max = 100) String orderId,
            @NotBlank @Size(max = 100) String customerId,
            @NotNull @DecimalMin("0") BigDecimal amount,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD") String currency) {
    }

    /** A replay with the same key gets the first decision, even if the rules would now say otherwise. */
    @PostMapping(path = "/credit-checks", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Verdict> check(@RequestHeader(name = IdempotencyKey.HEADER, required = false) String key,
            @Valid @RequestBody CreditCheck check) {
        return Mono.fromCallable(() -> IdempotencyKey.optional(key))
                .then(behaviour.admit())
                .then(Mono.fromSupplier(() -> decide(key, check)));
    }

    private Verdict decide(String key, CreditCheck check) {
        return calls.record(CHECK, key, check.orderId(), check, () -> rules.decide(check.customerId(), check.amount()))
                .answer();
    }
}
