package dev.orderflow.api.security;

import static dev.orderflow.orchestration.principal.Role.ADMIN;
import static dev.orderflow.orchestration.principal.Role.APPROVER;
import static dev.orderflow.orchestration.principal.Role.CHANNEL;
import static dev.orderflow.orchestration.principal.Role.CREDIT;
import static dev.orderflow.orchestration.principal.Role.OPERATOR;
import static dev.orderflow.orchestration.principal.Role.PARTNER;
import static dev.orderflow.orchestration.principal.Role.SALES;
import static dev.orderflow.orchestration.principal.Role.WAREHOUSE;

import dev.orderflow.orchestration.principal.Role;
import java.util.Arrays;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;

/**
 * Which roles may call which routes: the one table of it. Unknown paths outside {@code /v1} are
 * open so that they answer 404, not 401; everything under {@code /v1} needs a principal.
 */
final class AccessRules {

    private AccessRules() {
    }

    static void apply(AuthorizeExchangeSpec rules) {
        // intake first: it is the busiest route by far, and every rule tried before the one that
        // matches costs (Spring Security formats a debug message per matcher tried, even with debug
        // logging off). No rule below matches POST /v1/orders, so the order decides nothing else.
        allow(rules, HttpMethod.POST, "/v1/orders", CHANNEL, SALES);
        rules.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/actuator/info").permitAll()
                .pathMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/webjars/**").permitAll()
                .pathMatchers("/simulators/**").permitAll()
                .pathMatchers("/v1/admin/**").hasRole(ADMIN.name());
        allow(rules, HttpMethod.POST, "/v1/orders/*/cancel", CHANNEL, SALES, OPERATOR);
        allow(rules, HttpMethod.POST, "/v1/orders/*/approve", APPROVER);
        allow(rules, HttpMethod.POST, "/v1/orders/*/credit-release", CREDIT);
        allow(rules, HttpMethod.POST, "/v1/orders/*/shipments", WAREHOUSE);
        allow(rules, HttpMethod.POST, "/v1/orders/*/retry", OPERATOR);
        allow(rules, HttpMethod.GET, "/v1/exceptions", OPERATOR);
        allow(rules, HttpMethod.POST, "/v1/edi/x12", CHANNEL);
        rules.pathMatchers("/v1/edi/customers/**").hasAnyRole(CHANNEL.name(), ADMIN.name());
        rules.pathMatchers("/v1/webhooks", "/v1/webhooks/**").hasAnyRole(PARTNER.name(), ADMIN.name());
        allow(rules, HttpMethod.GET, "/v1/orders/**", CHANNEL, SALES, PARTNER, OPERATOR, APPROVER, CREDIT, WAREHOUSE);
        allow(rules, HttpMethod.GET, "/v1/orders", CHANNEL, SALES, PARTNER, OPERATOR, APPROVER, CREDIT, WAREHOUSE);
        allow(rules, HttpMethod.PUT, "/v1/inventory/*/*", WAREHOUSE);
        allow(rules, HttpMethod.POST, "/v1/inventory/receipts", WAREHOUSE);
        allow(rules, HttpMethod.POST, "/v1/inventory/adjustments", WAREHOUSE);
        rules.pathMatchers("/v1/**").authenticated()
                .anyExchange().permitAll();
    }

    private static String[] roles(Role... roles) {
        return Arrays.stream(roles).map(Role::name).toArray(String[]::new);
    }

    /** Admins hold every role's authority, so every rule admits them too. */
    private static void allow(AuthorizeExchangeSpec rules, HttpMethod method, String path, Role... roles) {
        rules.pathMatchers(method, path).hasAnyRole(roles(roles));
    }
}
