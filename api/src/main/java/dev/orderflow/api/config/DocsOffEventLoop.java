package dev.orderflow.api.config;

import java.util.List;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the API documentation off the event loops. springdoc builds the OpenAPI document on its first
 * request by scanning the classpath, and the Swagger UI is read out of its jar: blocking file reads
 * that would stall every connection sharing the event loop. Neither is on the order path, so they
 * get a worker thread instead.
 */
@Component
class DocsOffEventLoop implements WebFilter {

    private static final List<PathPattern> DOCS = List.of("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
                    "/swagger-ui/**", "/webjars/**")
            .stream()
            .map(PathPatternParser.defaultInstance::parse)
            .toList();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (DOCS.stream().noneMatch(pattern -> pattern.matches(path))) {
            return chain.filter(exchange);
        }
        return Mono.defer(() -> chain.filter(exchange)).subscribeOn(Schedulers.boundedElastic());
    }
}
