package dev.orderflow.api.limits;

import dev.orderflow.api.problem.Problem;
import dev.orderflow.api.problem.ProblemWriter;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Query parameters are text that reaches PostgreSQL too ({@code externalRef}, {@code sku},
 * {@code warehouse} ...): a {@code %00} decodes to U+0000, which PostgreSQL cannot store nor compare,
 * and the query failed with a 500. Refused here as a 400 naming the parameter, for every endpoint
 * at once, like the same character in a JSON body ({@link StorableText}). Path segments need no
 * check: Spring Security's firewall refuses an encoded NUL there. Only a query with a percent sign is
 * decoded to look: the order intake's has none.
 */
public class QueryText implements WebFilter, Ordered {

    private final ProblemWriter problems;

    public QueryText(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String query = exchange.getRequest().getURI().getRawQuery();
        if (query == null || query.indexOf('%') < 0) {
            return chain.filter(exchange);
        }
        for (Map.Entry<String, List<String>> parameter : exchange.getRequest().getQueryParams().entrySet()) {
            String unstorable = StorableText.unstorable(parameter.getKey());
            for (String value : parameter.getValue()) {
                if (unstorable == null && value != null) {
                    unstorable = StorableText.unstorable(value);
                }
            }
            if (unstorable != null) {
                return problems.write(exchange, Problem.of(HttpStatus.BAD_REQUEST, "unstorable-text", "Unstorable text",
                        "The query parameter '" + parameter.getKey().replace('\0', '?') + "' may not contain " + unstorable
                                + ", which Orderflow cannot store."));
            }
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        // with the header limits, ahead of Spring Security's filter chain (-100)
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
