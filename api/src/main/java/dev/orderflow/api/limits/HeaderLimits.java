package dev.orderflow.api.limits;

import dev.orderflow.api.problem.Problem;
import dev.orderflow.api.problem.ProblemWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Refuses requests with too many or too large headers with a 431 problem, before anything else
 * (authentication included) looks at them. Reactor Netty reads up to
 * {@code server.max-http-request-header-size} (64 KB) and answers anything larger with a bare 431
 * of its own; this filter's lower limits mean every request a client could plausibly send by
 * mistake gets a problem it can read.
 */
public class HeaderLimits implements WebFilter, Ordered {

    /** Header names and values, plus ": " and CRLF per line, as they came over the wire. */
    public static final int MAX_BYTES = 32 * 1024;
    public static final int MAX_COUNT = 100;

    private final ProblemWriter problems;

    public HeaderLimits(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        int count = 0;
        long bytes = 0;
        if (ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerRequest netty) {
            // Reactor Netty's own header lines, read in place: Spring's view of them copies every line into lists first
            for (Iterator<Map.Entry<CharSequence, CharSequence>> lines = netty.requestHeaders().iteratorCharSequence(); lines.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> line = lines.next();
                count++;
                bytes += line.getKey().length() + line.getValue().length() + 4;
            }
        } else {
            for (Map.Entry<String, List<String>> header : request.getHeaders().headerSet()) {
                for (String value : header.getValue()) {
                    count++;
                    bytes += header.getKey().length() + value.length() + 4;
                }
            }
        }
        if (count > MAX_COUNT || bytes > MAX_BYTES) {
            return problems.write(exchange, Problem.of(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers-too-large",
                    "Request header fields too large", "A request may carry up to " + MAX_COUNT + " header fields of "
                            + MAX_BYTES / 1024 + " KB together; this one has " + count + " fields of " + bytes + " bytes."));
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        // ahead of Spring Security's filter chain (-100): a refused request never reaches a token lookup
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
