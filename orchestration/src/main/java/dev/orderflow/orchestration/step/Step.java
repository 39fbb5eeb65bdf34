package dev.orderflow.orchestration.step;

import java.time.Instant;
import java.util.UUID;

/**
 * One unit of work against a downstream system.
 *
 * @param payload the JSON body sent downstream, fixed when the step was created
 */
public record Step(UUID id, UUID orderId, StepKind kind, StepState state, int attempts, Instant nextAttemptAt,
        String lastError, String payload, String result) {
}
