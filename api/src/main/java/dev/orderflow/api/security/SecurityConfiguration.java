package dev.orderflow.api.security;

import dev.orderflow.api.config.OrderflowProperties;
import dev.orderflow.api.config.RedisConnections;
import dev.orderflow.api.problem.ProblemWriter;
import dev.orderflow.api.ratelimit.RateLimitFilter;
import dev.orderflow.api.ratelimit.RateLimiter;
import dev.orderflow.api.problem.Problems;
import dev.orderflow.orchestration.audit.AuditLog;
import dev.orderflow.orchestration.principal.Principals;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * Stateless bearer-key security: no sessions, no cookies, no CSRF (there is no browser session to
 * forge), and every refusal answered as a problem.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfiguration {

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

    /** {@code ORDERFLOW_RATE_LIMIT} requests per second per principal; 0 turns limiting off. */
    @Bean
    RateLimiter rateLimiter(RedisConnections redis, OrderflowProperties properties) {
        return RateLimiter.shared(redis.commands(), properties.rateLimit());
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, PrincipalDirectory directory,
            ProblemWriter problems, RateLimiter rateLimiter) {
        // a bad key says why; a missing one gets the generic answer
        ServerAuthenticationEntryPoint unauthorized = (exchange, error) -> problems.write(exchange,
                Problems.unauthorized(error instanceof BadCredentialsException ? error.getMessage()
                        : "A valid bearer token is required: Authorization: Bearer <token>."));
        ServerAccessDeniedHandler forbidden = (exchange, denied) -> problems.write(exchange, Problems.forbidden());

        AuthenticationWebFilter bearer = new AuthenticationWebFilter(directory);
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
