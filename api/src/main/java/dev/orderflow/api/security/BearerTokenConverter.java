package dev.orderflow.api.security;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Reads {@code Authorization: Bearer <token>}. No header: anonymous; any other scheme: refused. */
final class BearerTokenConverter implements ServerAuthenticationConverter {

    private static final String SCHEME = "bearer ";
    private static final int MAX_TOKEN_LENGTH = 4096;

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Mono.empty();
        }
        if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Mono.error(new BadCredentialsException("Use Authorization: Bearer <token>."));
        }
        String token = header.substring(SCHEME.length()).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Mono.error(new BadCredentialsException("The bearer token is empty or too long."));
        }
        return Mono.just(new BearerToken(token));
    }
}
