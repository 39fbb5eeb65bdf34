package dev.orderflow.api.simulator;

import dev.orderflow.orchestration.principal.IssuedPrincipal;
import dev.orderflow.orchestration.principal.NewPrincipal;
import dev.orderflow.orchestration.principal.PrincipalKind;
import dev.orderflow.orchestration.principal.Principals;
import dev.orderflow.orchestration.principal.Role;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Who the fulfillment simulator is when it calls Orderflow: a user named
 * {@code fulfillment-simulator} with the warehouse role, issued at each start. Its key lives in this
 * object only; Orderflow stores its hash, like every key's.
 */
final class SimulatorPrincipal implements ApplicationRunner {

    static final String NAME = "fulfillment-simulator";

    private final Principals principals;
    private final Sinks.One<String> token = Sinks.one();

    SimulatorPrincipal(Principals principals) {
        this.principals = principals;
    }

    /** Start-up runs on the main thread, not an event loop, so waiting for the database here is safe. */
    @Override
    public void run(ApplicationArguments args) {
        IssuedPrincipal issued = principals.issue(new NewPrincipal(NAME, PrincipalKind.USER, Set.of(Role.WAREHOUSE), List.of()))
                .block(Duration.ofSeconds(60));
        token.tryEmitValue(issued.token()).orThrow();
    }

    /** The key; a call made before it was issued (the server takes requests a moment before that) waits for it. */
    Mono<String> token() {
        return token.asMono();
    }
}
