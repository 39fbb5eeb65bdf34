package dev.orderflow.api.security;

import dev.orderflow.api.config.OrderflowProperties;
import dev.orderflow.orchestration.audit.Actor;
import dev.orderflow.orchestration.audit.AuditLog;
import dev.orderflow.orchestration.principal.ApiKeys;
import dev.orderflow.orchestration.principal.Principals;
import java.util.Map;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Installs the admin key: {@code ORDERFLOW_ADMIN_KEY} when set (replacing any earlier one), else a
 * generated key at first start. A generated key is handed back once, to be printed; later starts
 * find it installed and keep it. Either way a new admin key is audited, in the transaction that
 * installs it.
 */
public class AdminKeyBootstrap {

    private final Principals principals;
    private final RevocationBroadcast revocations;
    private final OrderflowProperties properties;
    private final AuditLog audit;
    private final TransactionalOperator tx;

    public AdminKeyBootstrap(Principals principals, RevocationBroadcast revocations, OrderflowProperties properties,
            AuditLog audit, TransactionalOperator tx) {
        this.principals = principals;
        this.revocations = revocations;
        this.properties = properties;
        this.audit = audit;
        this.tx = tx;
    }

    /** The outcome, for the start-up report. */
    public record Outcome(boolean configured, String generatedKey) {
    }

    public Mono<Outcome> install() {
        String configured = properties.adminKey();
        if (configured != null && !configured.isBlank()) {
            return principals.installAdminKey(configured.trim())
                    .flatMap(changed -> changed ? audited("configured").thenReturn(true) : Mono.just(false))
                    .as(tx::transactional)
                    .flatMap(changed -> changed ? revocations.revokedAll() : Mono.empty())
                    .thenReturn(new Outcome(true, null));
        }
        return principals.hasAdminKey()
                .flatMap(installed -> installed ? Mono.just(new Outcome(false, null)) : generate());
    }

    private Mono<Outcome> generate() {
        String key = ApiKeys.generate();
        return principals.installAdminKey(key)
                .then(audited("generated"))
                .as(tx::transactional)
                .thenReturn(new Outcome(false, key));
    }

    /** The entry says where the key came from, never the key. */
    private Mono<Void> audited(String source) {
        return audit.record(Actor.SYSTEM, "principal.admin_key_replaced", "principal", null, Map.of("source", source));
    }
}
