package dev.orderflow.api.simulator;

import dev.orderflow.orchestration.principal.IssuedPrincipal;
import dev.orderflow.orchestration.principal.NewPrincipal;
import dev.orderflow.orchestration.principal.PrincipalKind;
import dev.orderflow.orchestration.principal.Principals;
import dev.orderflow.orchestration.principal.Role;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Who the fulfillment simulator is when it calls Orderflow: a user named
 * {@code fulfillment-simulator} with the warehouse role, issued by this instance the first time the
 * simulator needs it. Its key lives in this object only; Orderflow stores its hash, like every key's.
 */
final class SimulatorPrincipal {

    static final String NAME = "fulfillment-simulator";

    private final Mono<String> token;

    SimulatorPrincipal(Principals principals) {
        // issued once, on first use, and shared by every callback after it; a failed issue is retried next time
        this.token = Mono.defer(() -> principals.issue(
                        new NewPrincipal(NAME, PrincipalKind.USER, Set.of(Role.WAREHOUSE), List.of())))
                .map(IssuedPrincipal::token)
                .cacheInvalidateIf(issued -> false);
    }

    /** The key. */
    Mono<String> token() {
        return token;
    }
}
