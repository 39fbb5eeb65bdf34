package dev.orderflow.orchestration.principal;

import dev.orderflow.orchestration.support.DomainException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** What an admin asks for when issuing a principal; checked against the rules before anything is stored. */
public record NewPrincipal(String name, PrincipalKind kind, Set<Role> roles, List<String> channels) {

    private static final Set<Role> ROLES_ACTING_FOR_A_CHANNEL = EnumSet.of(Role.CHANNEL, Role.SALES);

    public NewPrincipal {
        roles = Set.copyOf(roles);
        channels = List.copyOf(channels);
        if (kind == PrincipalKind.ADMIN) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "invalid-principal", "Invalid principal",
                    "The admin principal is the admin key (ORDERFLOW_ADMIN_KEY); issue a user with the admin role instead.");
        }
        boolean actsForChannel = roles.stream().anyMatch(ROLES_ACTING_FOR_A_CHANNEL::contains);
        if (actsForChannel && channels.isEmpty()) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "invalid-principal", "Invalid principal",
                    "A principal with the channel or sales role needs at least one channel: its orders belong to the first.");
        }
    }
}
