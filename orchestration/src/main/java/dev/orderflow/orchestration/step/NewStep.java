package dev.orderflow.orchestration.step;

import dev.orderflow.orchestration.support.Ids;
import dev.orderflow.orchestration.support.Json;
import java.util.UUID;

/** A step to create, due at once. */
public record NewStep(UUID id, UUID orderId, StepKind kind, String payload) {

    public static NewStep of(UUID orderId, StepKind kind, Object payload) {
        return new NewStep(Ids.next(), orderId, kind, Json.write(payload));
    }
}
