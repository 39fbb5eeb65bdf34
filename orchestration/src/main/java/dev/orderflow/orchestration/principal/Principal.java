package dev.orderflow.orchestration.principal;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A caller Orderflow knows: its roles, and the channels whose orders it may see.
 *
 * @param tokenHint the first characters of its API key, so an operator can tell keys apart
 */
public record Principal(
        UUID id,
        String name,
        PrincipalKind kind,
        Set<Role> roles,
        List<String> channels,
        String tokenHint,
        Instant createdAt) {

    public Principal {
        roles = Set.copyOf(roles);
        channels = List.copyOf(channels);
    }

    public boolean hasRole(Role role) {
        return roles.contains(role) || roles.contains(Role.ADMIN);
    }

    /**
     * Whether this principal may see a channel's orders. The company's own staff (admins, operators,
     * approvers, credit, warehouse) see every channel; channels, sales and partners only their own.
     */
    public boolean canSee(String channel) {
        return seesAllChannels() || channels.contains(channel);
    }

    public boolean seesAllChannels() {
        return roles.stream().anyMatch(STAFF::contains);
    }

    private static final Set<Role> STAFF = Set.of(Role.ADMIN, Role.OPERATOR, Role.APPROVER, Role.CREDIT, Role.WAREHOUSE);
}
