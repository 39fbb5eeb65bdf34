package dev.orderflow.api.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A bearer token as it came in, before it is checked. */
final class BearerToken extends AbstractAuthenticationToken {

    private final String token;

    BearerToken(String token) {
        super(java.util.List.of());
        this.token = token;
    }

    String token() {
        return token;
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return null;
    }

    @Override
    public String toString() {
        // never log a key
        return "BearerToken[redacted]";
    }
}
