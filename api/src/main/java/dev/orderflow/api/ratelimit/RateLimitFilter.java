package dev.orderflow.api.ratelimit;

import dev.orderflow.api.problem.Problem;
import dev.orderflow.api.problem.ProblemWriter;
import dev.orderflow.api.security.PrincipalAuthentication;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Limits every authenticated call under {@code /v1} per principal; runs right after authentication,
 * before anything of the request is handled, so a refused request leaves nothing behind. Health,
 * metrics, the API docs and the simulators are not under {@code /v1} and are never limited.
 * Every limited answer carries the RateLimit headers; a refusal is a 429 problem with
 * {@code Retry-After}.
 */
public class RateLimitFilter implements WebFilter {

    private final RateLimiter limiter;
    private final ProblemWriter problems;

    public RateLimitFilter(RateLimiter limiter, ProblemWriter problems) {
        this.limiter = limiter;
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/v1/")) {
            return chain.filter(exchange);
        }
        return principalId()
                .flatMap(limiter::acquire)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(decision -> decision.map(limited -> apply(limited, exchange, chain)).orElseGet(() -> chain.filter(exchange)));
    }

    /** Anonymous requests are not limited here: they get no further than a 401. */
    private static Mono<UUID> principalId() {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(PrincipalAuthentication.class::isInstance)
                .map(authentication -> ((PrincipalAuthentication) authentication).getPrincipal().id());
    }

    private Mono<Void> apply(Decision decision, ServerWebExchange exchange, WebFilterChain chain) {
        RateLimitHeaders.write(exchange.getResponse().getHeaders(), limiter.ratePerSecond(), decision);
        if (decision.allowed()) {
            return chain.filter(exchange);
        }
        long seconds = RateLimitHeaders.retryAfterSeconds(decision);
        Problem tooMany = Problem.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
                        "Your principal may make " + limiter.ratePerSecond() + " requests per second; try again in " + seconds
                                + " s. Nothing of this request was kept.")
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return problems.write(exchange, tooMany);
    }
}
