package dev.orderflow.api.simulator;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import reactor.core.publisher.Mono;

/**
 * One simulator's behaviour, changeable while running, and the gate each of its calls passes before
 * it does anything: wait the latency (without holding a thread), then refuse the call if the system
 * is down or the error rate picks it. A refused call leaves nothing behind, so its retry may succeed.
 */
final class SimulatorBehaviour {

    private final SimulatedSystem system;
    private final AtomicReference<Behaviour> current;
    private final DoubleSupplier dice;

    SimulatorBehaviour(SimulatedSystem system, Behaviour initial) {
        this(system, initial, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param dice a number in [0, 1) per call; a call fails when it is below the error rate */
    SimulatorBehaviour(SimulatedSystem system, Behaviour initial, DoubleSupplier dice) {
        this.system = system;
        this.current = new AtomicReference<>(initial);
        this.dice = dice;
    }

    Behaviour current() {
        return current.get();
    }

    void change(Behaviour behaviour) {
        current.set(behaviour);
    }

    /** Completes after the latency if the call may go ahead, fails with the simulated problem if not. */
    Mono<Void> admit() {
        return Mono.defer(() -> admit(current.get()));
    }

    private Mono<Void> admit(Behaviour behaviour) {
        return delay(behaviour)
                .then(Mono.defer(() -> verdict(behaviour)));
    }

    private static Mono<Void> delay(Behaviour behaviour) {
        return behaviour.latency().isZero() ? Mono.empty() : Mono.delay(behaviour.latency()).then();
    }

    private Mono<Void> verdict(Behaviour behaviour) {
        if (behaviour.outage()) {
            return Mono.error(SimulatedFailures.outage(system));
        }
        if (behaviour.errorRate() > 0.0 && dice.getAsDouble() < behaviour.errorRate()) {
            return Mono.error(SimulatedFailures.failure(system, behaviour.errorRate()));
        }
        return Mono.empty();
    }
}
