package dev.orderflow.api.security;

import dev.orderflow.api.config.OrderflowProperties;
import dev.orderflow.api.config.RedisConnections;
import dev.orderflow.api.problem.Problem;
import dev.orderflow.api.problem.ProblemWriter;
import dev.orderflow.api.ratelimit.RateLimitFilter;
import dev.orderflow.api.ratelimit.RateLimiter;
import dev.orderflow.api.problem.Problems;
import dev.orderflow.orchestration.audit.AuditLog;
import dev.orderflow.orchestration.principal.Principals;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * Stateless bearer security: API keys, and JWTs from the company's identity provider when one is
 * configured; no sessions, no cookies, no CSRF (there is no browser session to forge); every
 * authenticated call under {@code /v1} rate-limited per principal; every refusal answered as a problem.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfiguration {

    /**
     * Spring Security's firewall refuses URLs with an encoded NUL, percent sign, slash or the like
     * ahead of everything else; its own answer is a bare 400 with no body. Picked up by
     * {@code WebFluxSecurityConfiguration} for the filter chain proxy, so the refusal is a problem too.
     */
    @Bean
    ServerExchangeRejectedHandler rejectedUrlAsProblem(ProblemWriter problems) {
        return (exchange, rejected) -> problems.write(exchange, Problem.of(HttpStatus.BAD_REQUEST, "rejected-url", "Request URL rejected",
                rejected.getMessage() + "."));
    }

    @Bean
    PrincipalDirectory principalDirectory(Principals principals) {
        return new PrincipalDirectory(principals);
    }

    @Bean
    RevocationBroadcast revocationBroadcast(RedisConnections redis, PrincipalDirectory directory) {
        return new RevocationBroadcast(redis, directory);
    }

    @Bean
    AdminKeyBootstrap adminKeyBootstrap(Principals principals, RevocationBroadcast revocations,
            OrderflowProperties properties, AuditLog audit, TransactionalOperator tx) {
        return new AdminKeyBootstrap(principals, revocations, properties, audit, tx);
    }

    /**
     * No observation per security filter, authentication and authorization: with an observation
     * registry present Spring Security wraps each of them in one (a span and a timer each), which
     * was about 4% of the CPU per order (perf-tests/RESULTS.md). The request itself is still
     * observed ({@code http.server.requests}, its trace id on log lines), and refusals are counted
     * by status there.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** {@code ORDERFLOW_RATE_LIMIT} requests per second per principal; 0 turns limiting off. */
    @Bean
    RateLimiter rateLimiter(RedisConnections redis, OrderflowProperties properties) {
        return RateLimiter.shared(redis.commands(), properties.rateLimit());
    }

    /**
     * JWT bearer tokens from the configured issuer, checked by Spring Security's resource server
     * (Nimbus): signature against the issuer's JWK set, issuer, expiry and not-before (60 s of clock
     * skew allowed), and the audience when one is configured. Null when no issuer is configured.
     */
    static ReactiveAuthenticationManager jwtAuthentication(OrderflowProperties.Jwt settings) {
        if (!settings.enabled()) {
            return null;
        }
        boolean hasIssuer = settings.issuerUri() != null && !settings.issuerUri().isBlank();
        NimbusReactiveJwtDecoder decoder = settings.jwkSetUri() != null && !settings.jwkSetUri().isBlank()
                ? NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwkSetUri()).build()
                : NimbusReactiveJwtDecoder.withIssuerLocation(settings.issuerUri()).build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(hasIssuer ? JwtValidators.createDefaultWithIssuer(settings.issuerUri()) : JwtValidators.createDefault());
        if (settings.audience() != null && !settings.audience().isBlank()) {
            validators.add(new JwtAudienceValidator(settings.audience()));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        JwtReactiveAuthenticationManager manager = new JwtReactiveAuthenticationManager(decoder);
        manager.setJwtAuthenticationConverter(new JwtPrincipals(settings));
        return manager;
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, PrincipalDirectory directory,
            ProblemWriter problems, RateLimiter rateLimiter, OrderflowProperties properties) {
        // a bad key says why; a missing one gets the generic answer
        ServerAuthenticationEntryPoint unauthorized = (exchange, error) -> problems.write(exchange,
                Problems.unauthorized(error instanceof BadCredentialsException || error instanceof OAuth2AuthenticationException
                        ? error.getMessage()
                        : "A valid bearer token is required: Authorization: Bearer <token>."));
        ServerAccessDeniedHandler forbidden = (exchange, denied) -> problems.write(exchange, Problems.forbidden());

        AuthenticationWebFilter bearer = new AuthenticationWebFilter(
                new BearerAuthentication(directory, jwtAuthentication(properties.jwt())));
        bearer.setServerAuthenticationConverter(new BearerTokenConverter());
        bearer.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(unauthorized));
        bearer.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());

        if (rateLimiter.ratePerSecond() > 0) {
            // not a bean: WebFlux would also run a WebFilter bean outside the security chain, before authentication
            http.addFilterAfter(new RateLimitFilter(rateLimiter, problems), SecurityWebFiltersOrder.AUTHENTICATION);
        }
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
                .exceptionHandling(handling -> handling.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                .authorizeExchange(AccessRules::apply)
                .build();
    }
}
