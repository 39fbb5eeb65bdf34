package dev.orderflow.orchestration.step;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;

/**
 * The engine's meters: {@code orderflow_steps_total{downstream,kind,outcome}}, how each claimed step
 * ended, and {@code orderflow_downstream_calls_seconds{downstream,outcome}}, how long each call took.
 * Counted by the instance that ran the step, so summing over instances gives the whole picture.
 */
public final class StepMetrics {

    /** How a claimed step ended on this instance. */
    public enum Outcome {
        /** The downstream said yes; the step is done. */
        SUCCEEDED,
        /** A passing failure; the step waits for its next attempt. */
        RETRIED,
        /** A 4xx or attempts used up; the order went to the exception queue. */
        FAILED,
        /** Not called (circuit open, bulkhead full); back in the queue, attempt not counted. */
        NOT_ATTEMPTED,
        /** Another worker took the step over before this one could settle it. */
        LOST_LEASE,
        /** Given back at shutdown, unfinished, for another instance to take at once. */
        RELEASED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;

    public StepMetrics(MeterRegistry registry) {
        this.registry = registry;
        // every series from zero: a rate over a counter that appears mid-way misses its first increments
        for (StepKind kind : StepKind.values()) {
            for (Outcome outcome : Outcome.values()) {
                counter(kind, outcome);
            }
        }
    }

    /** Meters that go nowhere, for engines made outside the application (tests). */
    public static StepMetrics none() {
        return new StepMetrics(new SimpleMeterRegistry());
    }

    void ended(StepKind kind, Outcome outcome) {
        counter(kind, outcome).increment();
    }

    private Counter counter(StepKind kind, Outcome outcome) {
        return Counter.builder("orderflow.steps")
                .description("Claimed steps by how they ended on this instance")
                .tag("downstream", kind.downstream().code())
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .tag("outcome", outcome.tag())
                .register(registry);
    }

    void called(Downstream downstream, CallOutcome outcome, Duration took) {
        Timer.builder("orderflow.downstream.calls")
                .description("Calls to the downstream systems, by how they came back")
                .tag("downstream", downstream.code())
                .tag("outcome", callOutcome(outcome))
                .register(registry)
                .record(took);
    }

    private static String callOutcome(CallOutcome outcome) {
        if (outcome instanceof CallOutcome.Success) {
            return "success";
        }
        if (outcome instanceof CallOutcome.Permanent) {
            return "permanent";
        }
        return outcome instanceof CallOutcome.NotAttempted ? "not_attempted" : "transient";
    }
}
