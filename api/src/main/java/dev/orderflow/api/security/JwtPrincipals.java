package dev.orderflow.api.security;

import dev.orderflow.api.config.OrderflowProperties;
import dev.orderflow.orchestration.principal.Principal;
import dev.orderflow.orchestration.principal.PrincipalKind;
import dev.orderflow.orchestration.principal.Role;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import reactor.core.publisher.Mono;

/**
 * Turns a JWT that passed validation (signature, issuer, audience, expiry) into a principal: roles
 * from one claim, channels from another, the same rules as for issued principals. A token naming a
 * role Orderflow does not know is refused outright (401) rather than trimmed: a typo in the identity
 * provider's mapping should be loud, not a silently weaker principal. The principal's id is derived
 * from issuer and subject, so the same person is the same principal on every token (their
 * idempotency keys and webhook subscriptions stay theirs).
 */
final class JwtPrincipals implements Converter<Jwt, Mono<AbstractAuthenticationToken>> {

    private final String rolesClaim;
    private final String channelsClaim;

    JwtPrincipals(OrderflowProperties.Jwt settings) {
        this.rolesClaim = settings.rolesClaim();
        this.channelsClaim = settings.channelsClaim();
    }

    @Override
    public Mono<AbstractAuthenticationToken> convert(Jwt jwt) {
        return Mono.fromCallable(() -> new PrincipalAuthentication(principal(jwt)));
    }

    Principal principal(Jwt jwt) {
        Set<Role> roles = roles(jwt);
        List<String> channels = strings(jwt, channelsClaim);
        if ((roles.contains(Role.CHANNEL) || roles.contains(Role.SALES)) && channels.isEmpty()) {
            throw new InvalidBearerTokenException("The token grants the channel or sales role but no channels (claim '"
                    + channelsClaim + "').");
        }
        String subject = jwt.getSubject() == null ? "" : jwt.getSubject();
        String issuer = jwt.getIssuer() == null ? "" : jwt.getIssuer().toString();
        UUID id = UUID.nameUUIDFromBytes((issuer + "\n" + subject).getBytes(StandardCharsets.UTF_8));
        Instant issuedAt = jwt.getIssuedAt() == null ? Instant.now() : jwt.getIssuedAt();
        return new Principal(id, subject.isEmpty() ? "jwt" : subject, PrincipalKind.USER, roles, channels, "jwt", issuedAt);
    }

    private Set<Role> roles(Jwt jwt) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String code : strings(jwt, rolesClaim)) {
            Optional<Role> role = Role.fromCode(code);
            if (role.isEmpty()) {
                throw new InvalidBearerTokenException("The token names a role Orderflow does not know: '" + code + "'.");
            }
            roles.add(role.get());
        }
        if (roles.isEmpty()) {
            throw new InvalidBearerTokenException("The token grants no Orderflow role (claim '" + rolesClaim + "').");
        }
        return roles;
    }

    /** A claim as a list of strings: a JSON array, or one space-separated string (as OAuth scopes are written). */
    private static List<String> strings(Jwt jwt, String claim) {
        Object value = jwt.getClaims().get(claim);
        if (value == null) {
            return List.of();
        }
        if (value instanceof Collection<?> values) {
            List<String> strings = new ArrayList<>();
            for (Object item : values) {
                strings.add(String.valueOf(item));
            }
            return strings;
        }
        if (value instanceof String text) {
            return Arrays.stream(text.trim().split("\\s+")).filter(part -> !part.isEmpty()).toList();
        }
        throw new InvalidBearerTokenException("The token's claim '" + claim + "' is neither a list nor a string.");
    }
}
