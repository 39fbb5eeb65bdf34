package dev.orderflow.api.simulator;

import java.time.Duration;

/**
 * One simulated system's knobs: how long each answer takes, what share of calls fail with 500,
 * and whether the system is down (every call 503).
 */
record Behaviour(Duration latency, double errorRate, boolean outage) {

    /** Long enough to simulate a client's timeout, short enough that a typo does not hang a demo. */
    static final Duration MAX_LATENCY = Duration.ofMinutes(10);

    Behaviour {
        check("behaviour", latency, errorRate);
    }

    static void check(String system, Duration latency, double errorRate) {
        if (latency == null || latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0) {
            throw new IllegalArgumentException(system + " latency must be between 0 and " + MAX_LATENCY.toMinutes() + " minutes");
        }
        if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
            throw new IllegalArgumentException(system + " error rate must be between 0.0 and 1.0");
        }
    }
}
