package dev.orderflow.api.order;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * {@code orderflow_intake_requests_seconds{status}}: how long {@code POST /v1/orders} takes, whole,
 * with histogram buckets (application.yml) for the dashboard's and alerts' quantiles. Spring's
 * {@code http_server_requests_seconds} cannot carry buckets for one route only (a metric is a
 * histogram for every route or for none), and buckets on every route would swell each scrape.
 */
@Component
class IntakeRequestTimer implements WebFilter {

    private static final PathPattern ORDERS = PathPatternParser.defaultInstance.parse("/v1/orders");

    private final MeterRegistry registry;

    IntakeRequestTimer(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (exchange.getRequest().getMethod() != HttpMethod.POST || !ORDERS.matches(path)) {
            return chain.filter(exchange);
        }
        long started = System.nanoTime();
        return chain.filter(exchange)
                .doFinally(signal -> record(exchange.getResponse().getStatusCode(), System.nanoTime() - started));
    }

    private void record(HttpStatusCode status, long nanos) {
        Timer.builder("orderflow.intake.requests")
                .description("POST /v1/orders, from the request to the answer")
                .tag("status", status == null ? "none" : Integer.toString(status.value()))
                .register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
