package dev.orderflow.orchestration.step;

import java.time.Duration;

/**
 * How the engine works its steps.
 *
 * @param pollInterval      how often workers look for due steps (the safety net; new orders start at once)
 * @param concurrency       steps one instance runs at the same time
 * @param lease             how long a claimed step is a worker's before others presume it dead; must
 *                          exceed {@code callTimeout} by a good margin, so a live worker never loses its step
 * @param maxAttempts       attempts before a step fails for good and its order goes to the exception queue
 * @param backoffBase       wait after the first failed attempt; doubles per attempt, with jitter
 * @param backoffMax        the longest wait between attempts
 * @param callTimeout       the longest a downstream call may take
 * @param breakerWaitInOpen how long an open circuit stays open before it lets a few calls probe
 * @param breakerMinimumCalls calls a circuit needs to see before it may open
 * @param breakerFailureRate  the share of failed calls (percent) that opens a circuit
 * @param bulkhead          concurrent calls per downstream
 * @param approvalThresholdPercent discounts above this wait for an approver
 */
public record EngineSettings(Duration pollInterval, int concurrency, Duration lease, int maxAttempts, Duration backoffBase,
        Duration backoffMax, Duration callTimeout, Duration breakerWaitInOpen, int breakerMinimumCalls,
        float breakerFailureRate, int bulkhead, java.math.BigDecimal approvalThresholdPercent) {

    public EngineSettings {
        if (lease.compareTo(callTimeout.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the step lease (" + lease + ") must be at least twice the call timeout ("
                    + callTimeout + "), or a slow but live call could be taken over and run twice");
        }
    }
}
