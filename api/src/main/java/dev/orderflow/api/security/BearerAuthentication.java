package dev.orderflow.api.security;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * Sends each bearer token to the one that can check it: a token shaped like a JWT (three base64url
 * parts) to the JWT manager when JWTs are configured, everything else to the API keys. API keys
 * ({@code of_...}) contain no dots, so the two can never be confused.
 */
final class BearerAuthentication implements ReactiveAuthenticationManager {

    private final PrincipalDirectory apiKeys;
    private final ReactiveAuthenticationManager jwts;

    BearerAuthentication(PrincipalDirectory apiKeys, ReactiveAuthenticationManager jwts) {
        this.apiKeys = apiKeys;
        this.jwts = jwts;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        String token = ((BearerToken) authentication).token();
        if (jwts != null && looksLikeJwt(token)) {
            return jwts.authenticate(new BearerTokenAuthenticationToken(token));
        }
        return apiKeys.authenticate(authentication);
    }

    static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        return first > 0 && second > first + 1 && token.indexOf('.', second + 1) < 0 && second < token.length() - 1;
    }
}
