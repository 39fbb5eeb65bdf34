package dev.orderflow.api.security;

import dev.orderflow.api.config.OrderflowProperties;
import dev.orderflow.orchestration.principal.ApiKeys;
import dev.orderflow.orchestration.principal.Principals;
import reactor.core.publisher.Mono;

/**
 * Installs the admin key: {@code ORDERFLOW_ADMIN_KEY} when set (replacing any earlier one), else a
 * generated key at first start. A generated key is handed back once, to be printed; later starts
 * find it installed and keep it.
 */
public class AdminKeyBootstrap {

    private final Principals principals;
    private final RevocationBroadcast revocations;
    private final OrderflowProperties properties;

    public AdminKeyBootstrap(Principals principals, RevocationBroadcast revocations, OrderflowProperties properties) {
        this.principals = principals;
        this.revocations = revocations;
        this.properties = properties;
    }

    /** The outcome, for the start-up report. */
    public record Outcome(boolean configured, String generatedKey) {
    }

    public Mono<Outcome> install() {
        String configured = properties.adminKey();
        if (configured != null && !configured.isBlank()) {
            return principals.installAdminKey(configured.trim())
                    .flatMap(changed -> changed ? revocations.revokedAll() : Mono.empty())
                    .thenReturn(new Outcome(true, null));
        }
        return principals.hasAdminKey()
                .flatMap(installed -> installed ? Mono.just(new Outcome(false, null)) : generate());
    }

    private Mono<Outcome> generate() {
        String key = ApiKeys.generate();
        return principals.installAdminKey(key).thenReturn(new Outcome(false, key));
    }
}
