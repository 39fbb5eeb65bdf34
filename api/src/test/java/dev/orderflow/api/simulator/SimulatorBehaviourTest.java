package dev.orderflow.api.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderflow.orchestration.support.DomainException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import reactor.test.StepVerifier;

class SimulatorBehaviourTest {

    private static final Behaviour HEALTHY = new Behaviour(Duration.ZERO, 0.0, false);

    @Test
    void aHealthySystemAdmitsAtOnce() {
        new SimulatorBehaviour(SimulatedSystem.CREDIT, HEALTHY).admit()
                .as(StepVerifier::create)
                .verifyComplete();
    }

    @Test
    void theLatencyDelaysTheAnswerWithoutSleeping() {
        SimulatorBehaviour behaviour = new SimulatorBehaviour(SimulatedSystem.CREDIT,
                new Behaviour(Duration.ofSeconds(3), 0.0, false));

        StepVerifier.withVirtualTime(behaviour::admit)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(2999))
                .thenAwait(Duration.ofMillis(1))
                .verifyComplete();
    }

    @Test
    void anOutageAnswers503AfterTheLatency() {
        SimulatorBehaviour behaviour = new SimulatorBehaviour(SimulatedSystem.FULFILLMENT,
                new Behaviour(Duration.ofMillis(50), 0.0, true));

        StepVerifier.withVirtualTime(behaviour::admit)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(DomainException.class);
                    assertThat(((DomainException) error).kind()).isEqualTo(DomainException.Kind.UNAVAILABLE);
                    assertThat(error.getMessage()).contains("fulfillment simulator");
                    assertThat(error.getStackTrace()).isEmpty();
                })
                .verify();
    }

    @Test
    void theErrorRateFailsTheCallsTheDicePick() {
        double[] rolls = {0.10, 0.35, 0.29};
        int[] next = {0};
        SimulatorBehaviour behaviour = new SimulatorBehaviour(SimulatedSystem.INVOICING,
                new Behaviour(Duration.ZERO, 0.3, false), () -> rolls[next[0]++]);

        behaviour.admit().as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(((ResponseStatusException) error).getStatusCode())
                        .isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR))
                .verify();
        behaviour.admit().as(StepVerifier::create).verifyComplete();
        behaviour.admit().as(StepVerifier::create).expectError(ResponseStatusException.class).verify();
    }

    @Test
    void anErrorRateOfZeroNeverRollsAndOneAlwaysFails() {
        SimulatorBehaviour never = new SimulatorBehaviour(SimulatedSystem.CREDIT, HEALTHY, () -> {
            throw new AssertionError("no dice needed at error rate 0");
        });
        never.admit().as(StepVerifier::create).verifyComplete();

        SimulatorBehaviour always = new SimulatorBehaviour(SimulatedSystem.CREDIT, new Behaviour(Duration.ZERO, 1.0, false));
        for (int i = 0; i < 100; i++) {
            always.admit().as(StepVerifier::create).expectError(ResponseStatusException.class).verify();
        }
    }

    @Test
    void aChangeAppliesToTheNextCall() {
        SimulatorBehaviour behaviour = new SimulatorBehaviour(SimulatedSystem.CREDIT, HEALTHY);
        var admitted = behaviour.admit();

        behaviour.change(new Behaviour(Duration.ZERO, 0.0, true));

        // the behaviour is read when the call arrives (subscribes), not when it was assembled
        admitted.as(StepVerifier::create).expectError(DomainException.class).verify();
        assertThat(behaviour.current().outage()).isTrue();
    }

    @Test
    void impossibleKnobsAreRefused() {
        assertThatThrownBy(() -> new Behaviour(Duration.ofMillis(-1), 0.0, false)).hasMessageContaining("latency");
        assertThatThrownBy(() -> new Behaviour(Duration.ofMinutes(11), 0.0, false)).hasMessageContaining("latency");
        assertThatThrownBy(() -> new Behaviour(Duration.ZERO, 1.01, false)).hasMessageContaining("error rate");
        assertThatThrownBy(() -> new Behaviour(Duration.ZERO, Double.NaN, false)).hasMessageContaining("error rate");
    }
}
