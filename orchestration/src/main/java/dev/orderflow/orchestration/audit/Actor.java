package dev.orderflow.orchestration.audit;

import dev.orderflow.orchestration.principal.Principal;
import java.util.UUID;

/** Who did something, as the audit trail names them. */
public record Actor(UUID id, String name) {

    /** Orderflow itself, acting at start-up on its configuration. */
    public static final Actor SYSTEM = new Actor(null, "orderflow");

    public static Actor of(Principal principal) {
        return new Actor(principal.id(), principal.name());
    }
}
