package dev.orderflow.api.simulator;

import dev.orderflow.api.simulator.CallLog.Call;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The simulators' control panel, for demos and tests: each system's behaviour (read and change
 * while running) and the calls it accepted (read and clear). In memory and cheap, so answered
 * right on the event loop.
 */
@RestController
@ConditionalOnBooleanProperty("orderflow.simulators")
@RequestMapping(path = "/simulators/{system}", produces = MediaType.APPLICATION_JSON_VALUE)
class SimulatorControls {

    private final Simulators simulators;

    SimulatorControls(Simulators simulators) {
        this.simulators = simulators;
    }

    /** A behaviour as the API shows it. */
    record BehaviourView(long latencyMs, double errorRate, boolean outage) {

        static BehaviourView of(Behaviour behaviour) {
            return new BehaviourView(behaviour.latency().toMillis(), behaviour.errorRate(), behaviour.outage());
        }
    }

    /** A change of behaviour; a field left out keeps its current value. */
    record BehaviourChange(
            @Min(0) @Max(600_000) Long latencyMs,
            @DecimalMin("0.0") @DecimalMax("1.0") Double errorRate,
            Boolean outage) {

        Behaviour applyTo(Behaviour current) {
            return new Behaviour(
                    latencyMs != null ? Duration.ofMillis(latencyMs) : current.latency(),
                    errorRate != null ? errorRate : current.errorRate(),
                    outage != null ? outage : current.outage());
        }
    }

    @GetMapping("/behaviour")
    BehaviourView behaviour(@PathVariable String system) {
        return BehaviourView.of(behaviourOf(system).current());
    }

    @PutMapping(path = "/behaviour", consumes = MediaType.APPLICATION_JSON_VALUE)
    BehaviourView changeBehaviour(@PathVariable String system, @Valid @RequestBody BehaviourChange change) {
        SimulatorBehaviour behaviour = behaviourOf(system);
        Behaviour changed = change.applyTo(behaviour.current());
        behaviour.change(changed);
        return BehaviourView.of(changed);
    }

    /** The calls accepted, oldest first: the most recent {@code limit}, of one order when {@code orderId} is given. */
    @GetMapping("/calls")
    Map<String, List<Call>> calls(@PathVariable String system, @RequestParam(required = false) String orderId,
            @RequestParam(defaultValue = "1000") @Min(1) @Max(100_000) int limit) {
        return Map.of("items", simulators.calls(SimulatedSystem.fromPath(system)).list(orderId, limit));
    }

    /** Forgets every call, and with them the idempotency keys seen. */
    @DeleteMapping("/calls")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void clearCalls(@PathVariable String system) {
        simulators.calls(SimulatedSystem.fromPath(system)).clear();
    }

    private SimulatorBehaviour behaviourOf(String system) {
        return simulators.behaviour(SimulatedSystem.fromPath(system));
    }
}
