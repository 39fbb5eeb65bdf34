package dev.orderflow.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.orderflow.orchestration.principal.Principal;
import dev.orderflow.orchestration.principal.Role;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A principal as the admin API shows it; {@code token} only in the answer that issued it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PrincipalResponse(UUID id, String name, String kind, List<String> roles, List<String> channels,
        String tokenHint, Instant createdAt, String token) {

    static PrincipalResponse of(Principal principal, String token) {
        return new PrincipalResponse(principal.id(), principal.name(), principal.kind().code(),
                principal.roles().stream().map(Role::code).sorted().toList(), principal.channels(),
                principal.tokenHint(), principal.createdAt(), token);
    }

    /** Spring logs what it encodes at DEBUG (and in full at TRACE): never with the key. */
    @Override
    public String toString() {
        return "PrincipalResponse[id=" + id + ", name=" + name + ", kind=" + kind + ", roles=" + roles + ", channels=" + channels
                + ", tokenHint=" + tokenHint + ", createdAt=" + createdAt + (token == null ? "" : ", token=[redacted]") + "]";
    }
}
