package dev.orderflow.api.order;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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

    private static final int NO_STATUS = 0;
    private static final PathPattern ORDERS = PathPatternParser.defaultInstance.parse("/v1/orders");

    private final MeterRegistry registry;
    /** One timer per status, looked up once: building a meter id on every request costs more than timing it. */
    private final Map<Integer, Timer> byStatus = new ConcurrentHashMap<>();

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
        timer(status == null ? NO_STATUS : status.value()).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(int status) {
        return byStatus.computeIfAbsent(status, code -> Timer.builder("orderflow.intake.requests")
                .description("POST /v1/orders, from the request to the answer")
                .tag("status", code == NO_STATUS ? "none" : Integer.toString(code))
                .register(registry));
    }
}
