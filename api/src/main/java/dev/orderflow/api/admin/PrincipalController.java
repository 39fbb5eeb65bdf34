package dev.orderflow.api.admin;

import dev.orderflow.api.security.RevocationBroadcast;
import dev.orderflow.orchestration.audit.Actor;
import dev.orderflow.orchestration.audit.AuditLog;
import dev.orderflow.orchestration.principal.IssuedPrincipal;
import dev.orderflow.orchestration.principal.Principal;
import dev.orderflow.orchestration.principal.NewPrincipal;
import dev.orderflow.orchestration.principal.PrincipalKind;
import dev.orderflow.orchestration.principal.Principals;
import dev.orderflow.orchestration.principal.Role;
import dev.orderflow.orchestration.support.DomainException;
import dev.orderflow.orchestration.support.FieldError;
import dev.orderflow.orchestration.support.Page;
import dev.orderflow.orchestration.support.ValidationException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Issues, lists and revokes principals (admin only; see {@code AccessRules}). Issuing and revoking
 * are audited in their own transaction.
 */
@RestController
@RequestMapping(path = "/v1/admin/principals", produces = MediaType.APPLICATION_JSON_VALUE)
class PrincipalController {

    private static final Logger LOG = LoggerFactory.getLogger(PrincipalController.class);

    private final Principals principals;
    private final RevocationBroadcast revocations;
    private final AuditLog audit;
    private final TransactionalOperator tx;

    PrincipalController(Principals principals, RevocationBroadcast revocations, AuditLog audit, TransactionalOperator tx) {
        this.principals = principals;
        this.revocations = revocations;
        this.audit = audit;
        this.tx = tx;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<PrincipalResponse>> issue(@Valid @RequestBody PrincipalRequest request,
            @AuthenticationPrincipal Principal admin) {
        return Mono.fromCallable(() -> toNewPrincipal(request))
                .flatMap(principal -> principals.issue(principal)
                        .flatMap(issued -> auditIssued(admin, issued).thenReturn(issued))
                        .as(tx::transactional))
                .map(issued -> ResponseEntity
                        .created(URI.create("/v1/admin/principals/" + issued.principal().id()))
                        .body(PrincipalResponse.of(issued.principal(), issued.token())));
    }

    @GetMapping
    Mono<Page<PrincipalResponse>> list(@RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return principals.listActive(cursor, limit).map(page -> page.map(principal -> PrincipalResponse.of(principal, null)));
    }

    @GetMapping("/{id}")
    Mono<PrincipalResponse> get(@PathVariable UUID id) {
        return principals.findActive(id)
                .map(principal -> PrincipalResponse.of(principal, null))
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /** Revoked and audited in one transaction; the other instances are told once it committed. */
    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> revoke(@PathVariable UUID id, @AuthenticationPrincipal Principal admin) {
        return principals.revoke(id)
                .flatMap(revoked -> revoked
                        ? audit.record(Actor.of(admin), "principal.revoked", "principal", id.toString(), Map.of()).thenReturn(true)
                        : Mono.just(false))
                .as(tx::transactional)
                .flatMap(revoked -> revoked ? revocations.revoked(id).thenReturn(id) : whyNotRevoked(id))
                // an audit line, with the request's trace id in structured logs: handle() puts the
                // request's trace context on the thread, also where context propagation is "limited"
                .<UUID>handle((revokedId, sink) -> {
                    LOG.info("Principal {} revoked", revokedId);
                    sink.next(revokedId);
                })
                .thenReturn(ResponseEntity.noContent().build());
    }

    private Mono<Void> auditIssued(Principal admin, IssuedPrincipal issued) {
        Principal principal = issued.principal();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", principal.name());
        details.put("kind", principal.kind().code());
        details.put("roles", principal.roles().stream().map(Role::code).sorted().toList());
        details.put("channels", principal.channels());
        // the hint only: the key itself is never written anywhere but the answer
        details.put("tokenHint", principal.tokenHint());
        return audit.record(Actor.of(admin), "principal.issued", "principal", principal.id().toString(), details);
    }

    private Mono<UUID> whyNotRevoked(UUID id) {
        return principals.isBootstrapAdmin(id).flatMap(admin -> Mono.error(admin
                ? new DomainException(DomainException.Kind.CONFLICT, "admin-key", "Admin key",
                        "The admin key cannot be revoked; set ORDERFLOW_ADMIN_KEY to replace it.")
                : notFound(id)));
    }

    private static DomainException notFound(UUID id) {
        return new DomainException(DomainException.Kind.NOT_FOUND, "not-found", "Not found", "No active principal " + id + ".");
    }

    /** Bean Validation checked the shape; this checks the codes against the domain's lists. */
    private static NewPrincipal toNewPrincipal(PrincipalRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (int i = 0; i < request.roles().size(); i++) {
            String code = request.roles().get(i);
            int index = i;
            Optional<Role> role = Role.fromCode(code);
            role.ifPresentOrElse(roles::add, () -> errors.add(new FieldError("roles[" + index + "]", "unknown role '" + code + "'")));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(DomainException.Kind.UNPROCESSABLE, "Unknown roles.", errors);
        }
        PrincipalKind kind = PrincipalKind.fromCode(request.kind()).orElseThrow();
        List<String> channels = request.channels() == null ? List.of() : request.channels();
        return new NewPrincipal(request.name().trim(), kind, roles, channels);
    }
}
