package dev.orderflow.orchestration.step;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Calls the downstream systems per the contract, each behind its own bulkhead (innermost), time
 * limiter and circuit breaker. 5xx, timeouts and connection failures count against the breaker
 * and are retried later; a 4xx is the system saying no, which is no reason to open the circuit.
 */
public class DownstreamClient {

    private final WebClient web;
    private final Function<Downstream, URI> baseUrls;
    private final Map<Downstream, CircuitBreaker> breakers = new EnumMap<>(Downstream.class);
    /** The same breakers, in a registry: what metrics binders (resilience4j-micrometer) read. */
    private final CircuitBreakerRegistry breakerRegistry = CircuitBreakerRegistry.ofDefaults();
    private final Map<Downstream, TimeLimiter> limiters = new EnumMap<>(Downstream.class);
    private final Map<Downstream, Bulkhead> bulkheads = new EnumMap<>(Downstream.class);
    private final Duration retryWhenOpen;

    public DownstreamClient(WebClient web, Function<Downstream, URI> baseUrls, EngineSettings settings) {
        this.web = web;
        this.baseUrls = baseUrls;
        this.retryWhenOpen = settings.breakerWaitInOpen();
        for (Downstream downstream : Downstream.values()) {
            breakers.put(downstream, breakerRegistry.circuitBreaker(downstream.code(), CircuitBreakerConfig.custom()
                    .failureRateThreshold(settings.breakerFailureRate())
                    .minimumNumberOfCalls(settings.breakerMinimumCalls())
                    .slidingWindowSize(Math.max(settings.breakerMinimumCalls() * 2, 10))
                    .waitDurationInOpenState(settings.breakerWaitInOpen())
                    .permittedNumberOfCallsInHalfOpenState(3)
                    .automaticTransitionFromOpenToHalfOpenEnabled(true)
                    .recordException(DownstreamClient::countsAgainstTheCircuit)
                    .build()));
            limiters.put(downstream, TimeLimiter.of(TimeLimiterConfig.custom().timeoutDuration(settings.callTimeout()).build()));
            bulkheads.put(downstream, Bulkhead.of(downstream.code(), BulkheadConfig.custom()
                    .maxConcurrentCalls(settings.bulkhead())
                    .maxWaitDuration(Duration.ZERO)
                    .build()));
        }
    }

    /** Whether the downstream takes calls now; steps of a system whose circuit is open stay in the queue. */
    public boolean accepting(Downstream downstream) {
        return breakers.get(downstream).getState() != CircuitBreaker.State.OPEN
                && breakers.get(downstream).getState() != CircuitBreaker.State.FORCED_OPEN;
    }

    public CircuitBreaker breaker(Downstream downstream) {
        return breakers.get(downstream);
    }

    /** Every downstream's circuit breaker, named by {@link Downstream#code()}. */
    public CircuitBreakerRegistry breakerRegistry() {
        return breakerRegistry;
    }

    public Mono<CallOutcome> call(Step step) {
        Downstream downstream = step.kind().downstream();
        return send(step)
                .transformDeferred(BulkheadOperator.of(bulkheads.get(downstream)))
                .transformDeferred(TimeLimiterOperator.of(limiters.get(downstream)))
                .transformDeferred(CircuitBreakerOperator.of(breakers.get(downstream)))
                .onErrorResume(CallNotPermittedException.class, open -> Mono.just(new CallOutcome.NotAttempted(retryWhenOpen)))
                .onErrorResume(BulkheadFullException.class, full -> Mono.just(new CallOutcome.NotAttempted(Duration.ofMillis(200))))
                .onErrorResume(ServerError.class, error -> Mono.just(new CallOutcome.Transient(error.getMessage())))
                .onErrorResume(TimeoutException.class, timeout -> Mono.just(new CallOutcome.Transient("no answer within the call timeout")))
                .onErrorResume(WebClientRequestException.class, failed -> Mono.just(new CallOutcome.Transient("could not reach "
                        + downstream.code() + ": " + failed.getMostSpecificCause().getMessage())));
    }

    private Mono<CallOutcome> send(Step step) {
        return web.post()
                .uri(baseUrls.apply(step.kind().downstream()) + path(step))
                .header("Idempotency-Key", step.id().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(step.payload())
                .exchangeToMono(DownstreamClient::classify);
    }

    private static Mono<CallOutcome> classify(ClientResponse response) {
        int status = response.statusCode().value();
        Mono<String> body = response.bodyToMono(String.class).defaultIfEmpty("");
        if (response.statusCode().is2xxSuccessful()) {
            return body.map(CallOutcome.Success::new);
        }
        if (response.statusCode().is4xxClientError() && status != 408 && status != 429) {
            return body.map(text -> new CallOutcome.Permanent(status + " " + abbreviate(text)));
        }
        // 5xx, 408, 429: the system is in trouble; an error, so that the circuit counts it
        return body.flatMap(text -> Mono.error(new ServerError(status + " " + abbreviate(text))));
    }

    private static String path(Step step) {
        return switch (step.kind()) {
            case CREDIT_CHECK -> "/credit-checks";
            case FULFILLMENT -> "/fulfillment-requests";
            case CANCEL_FULFILLMENT -> "/fulfillment-requests/" + step.orderId() + "/cancel";
            case INVOICE, CREDIT_NOTE -> "/invoices";
        };
    }

    private static boolean countsAgainstTheCircuit(Throwable error) {
        return error instanceof ServerError || error instanceof TimeoutException || error instanceof WebClientRequestException;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** A 5xx answer, as an error so the breaker sees it. */
    static final class ServerError extends RuntimeException {
        ServerError(String message) {
            super(message, null, false, false);
        }
    }
}
