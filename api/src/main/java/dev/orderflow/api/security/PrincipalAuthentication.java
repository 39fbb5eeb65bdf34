package dev.orderflow.api.security;

import dev.orderflow.orchestration.principal.Principal;
import dev.orderflow.orchestration.principal.Role;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated caller. Admins hold every role's authority: they may do what any role may. */
public final class PrincipalAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final transient Principal principal;

    public PrincipalAuthentication(Principal principal) {
        super(authorities(principal));
        this.principal = principal;
        setAuthenticated(true);
    }

    @Override
    public Principal getPrincipal() {
        return principal;
    }

    @Override
    public Object getCredentials() {
        // the key is never kept past authentication
        return "";
    }

    @Override
    public String getName() {
        return principal.name();
    }

    private static Collection<GrantedAuthority> authorities(Principal principal) {
        List<Role> roles = principal.roles().contains(Role.ADMIN) ? Arrays.asList(Role.values()) : List.copyOf(principal.roles());
        return roles.stream().map(role -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + role.name())).toList();
    }
}
