package dev.orderflow.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.orchestration.principal.Principal;
import dev.orderflow.orchestration.principal.PrincipalKind;
import dev.orderflow.orchestration.principal.Principals;
import dev.orderflow.orchestration.principal.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The key cache in front of PostgreSQL, against a directory of principals whose answers the test controls. */
class PrincipalDirectoryTest {

    private static final Principal SHOP = new Principal(UUID.randomUUID(), "shop", PrincipalKind.CHANNEL, Set.of(Role.CHANNEL),
            List.of("shop"), "of_x", Instant.EPOCH);

    @Test
    void aKnownKeyIsLookedUpOnceThenServedFromTheCache() {
        ScriptedPrincipals principals = new ScriptedPrincipals();
        PrincipalDirectory directory = new PrincipalDirectory(principals);

        principals.next(Mono.just(SHOP));
        authenticate(directory);
        authenticate(directory);

        assertThat(principals.lookups.get()).isEqualTo(1);
    }

    @Test
    void aLookupThatOverlapsARevocationIsNotCached() {
        ScriptedPrincipals principals = new ScriptedPrincipals();
        PrincipalDirectory directory = new PrincipalDirectory(principals);
        Sinks.One<Principal> slowLookup = Sinks.one();
        principals.next(slowLookup.asMono());

        StepVerifier.create(directory.authenticate(new BearerToken("of_key")))
                .then(() -> directory.evict(SHOP.id()))
                // PostgreSQL answers with what it read before the revocation committed
                .then(() -> slowLookup.tryEmitValue(SHOP))
                .expectNextCount(1)
                .verifyComplete();

        // the next request must go to PostgreSQL again, not to a cache holding the revoked key
        principals.next(Mono.empty());
        StepVerifier.create(directory.authenticate(new BearerToken("of_key")))
                .expectError()
                .verify(Duration.ofSeconds(5));
        assertThat(principals.lookups.get()).isEqualTo(2);
    }

    private static void authenticate(PrincipalDirectory directory) {
        StepVerifier.create(directory.authenticate(new BearerToken("of_key"))).expectNextCount(1).verifyComplete();
    }

    /** Answers each lookup with the next scripted answer, and counts lookups. */
    private static final class ScriptedPrincipals extends Principals {

        private final AtomicInteger lookups = new AtomicInteger();
        private Mono<Principal> next = Mono.empty();

        ScriptedPrincipals() {
            super(null, null);
        }

        void next(Mono<Principal> answer) {
            next = answer;
        }

        @Override
        public Mono<Principal> findActiveByToken(String token) {
            lookups.incrementAndGet();
            return next;
        }
    }
}
