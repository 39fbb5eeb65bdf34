package dev.orderflow.api.problem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * The last word on every error: whatever escapes a handler, a filter or the router (unknown route,
 * wrong method, wrong media type, unreadable body) becomes a problem. Runs before Spring Boot's
 * default handler, which would answer HTML or its own JSON shape.
 */
public class ProblemExceptionHandler implements WebExceptionHandler, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private final ProblemMapper mapper;
    private final ProblemWriter writer;

    public ProblemExceptionHandler(ProblemMapper mapper, ProblemWriter writer) {
        this.mapper = mapper;
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        // logged inside handle(), which puts the request's trace context on the thread (MDC) even
        // where context propagation is "limited": the line carries the request's trace id
        return Mono.just(mapper.toProblem(error))
                .<Problem>handle((problem, sink) -> {
                    log(exchange, problem, error);
                    sink.next(problem);
                })
                .flatMap(problem -> writer.write(exchange, problem));
    }

    private static void log(ServerWebExchange exchange, Problem problem, Throwable error) {
        if (problem.status().value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            // shedding or a dependency away: expected under overload, and a stack trace per request would add to it
            LOG.warn("{} {} answered 503: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    NestedExceptionUtils.getMostSpecificCause(error).toString());
        } else if (problem.status().is5xxServerError()) {
            LOG.error("{} {} failed: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    problem.status(), error);
        } else {
            LOG.debug("{} {} refused: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    problem.detail());
        }
    }

    @Override
    public int getOrder() {
        // ahead of WebFluxResponseStatusExceptionHandler (0) and Boot's error handler (-1)
        return -2;
    }
}
