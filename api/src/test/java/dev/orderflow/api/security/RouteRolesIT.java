package dev.orderflow.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.orchestration.principal.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Walks the application's real route table and checks every route against the table below: who
 * may call it. A route the table does not name fails the test, so no endpoint ships without a
 * decision. For each route: no token is 401 (unless public), a principal holding every role but the
 * allowed ones (and not admin) is 403, and one holding an allowed role, and an admin, get past
 * security (anything but 401 and 403).
 */
class RouteRolesIT extends IntegrationTest {

    /** Anyone, without a token. */
    private static final Set<Role> PUBLIC = Set.of();
    /** Any principal, whatever its roles. */
    private static final Set<Role> SIGNED_IN = EnumSet.allOf(Role.class);

    private static final Set<Role> READERS = EnumSet.of(Role.CHANNEL, Role.SALES, Role.PARTNER, Role.OPERATOR, Role.APPROVER,
            Role.CREDIT, Role.WAREHOUSE);

    /** The decision for every route: "METHOD pattern" -> the roles that may call it (admins always may). */
    private static final Map<String, Set<Role>> EXPECTED = new TreeMap<>();

    static {
        expect(Set.of(Role.ADMIN), "POST /v1/admin/principals", "GET /v1/admin/principals", "GET /v1/admin/principals/{id}",
                "DELETE /v1/admin/principals/{id}", "GET /v1/admin/audit");
        expect(EnumSet.of(Role.CHANNEL, Role.SALES), "POST /v1/orders");
        expect(READERS, "GET /v1/orders", "GET /v1/orders/{id}", "GET /v1/orders/{id}/timeline", "GET /v1/orders/{id}/edi/{kind}");
        expect(EnumSet.of(Role.CHANNEL, Role.SALES, Role.OPERATOR), "POST /v1/orders/{id}/cancel");
        expect(Set.of(Role.APPROVER), "POST /v1/orders/{id}/approve");
        expect(Set.of(Role.CREDIT), "POST /v1/orders/{id}/credit-release");
        expect(Set.of(Role.WAREHOUSE), "POST /v1/orders/{id}/shipments", "PUT /v1/inventory/{warehouse}/{sku}",
                "POST /v1/inventory/receipts", "POST /v1/inventory/adjustments");
        expect(Set.of(Role.OPERATOR), "POST /v1/orders/{id}/retry", "GET /v1/exceptions");
        expect(Set.of(Role.CHANNEL), "POST /v1/edi/x12", "GET /v1/edi/customers/{customerId}/items",
                "PUT /v1/edi/customers/{customerId}/items", "DELETE /v1/edi/customers/{customerId}/items/{buyerPart}");
        expect(Set.of(Role.PARTNER), "POST /v1/webhooks", "GET /v1/webhooks", "GET /v1/webhooks/{id}", "DELETE /v1/webhooks/{id}",
                "POST /v1/webhooks/{id}/rotate-secret", "GET /v1/webhooks/{id}/deliveries",
                "POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", "POST /v1/webhooks/{id}/replay");
        expect(SIGNED_IN, "GET /v1/inventory/availability", "GET /v1/events");
        // the downstream simulators stand in for other systems, which Orderflow calls without a token
        expect(PUBLIC, "POST /simulators/credit/credit-checks", "POST /simulators/fulfillment/fulfillment-requests",
                "POST /simulators/fulfillment/fulfillment-requests/{orderId}/cancel", "POST /simulators/invoicing/invoices",
                "GET /simulators/{system}/behaviour", "PUT /simulators/{system}/behaviour", "GET /simulators/{system}/calls",
                "DELETE /simulators/{system}/calls");
    }

    /** The API docs, served by springdoc: public by design, whatever routes it registers. */
    private static boolean isDocs(String route) {
        String path = route.substring(route.indexOf(' ') + 1);
        return path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui") || path.startsWith("/webjars");
    }

    @Autowired
    private ApplicationContext context;

    private final Map<Set<Role>, String> tokens = new HashMap<>();

    @Test
    void everyRouteIsInTheTableAndEveryTableEntryIsARoute() {
        Set<String> routes = routes();

        Set<String> undecided = routes.stream().filter(route -> !EXPECTED.containsKey(route) && !isDocs(route))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> stale = EXPECTED.keySet().stream().filter(route -> !routes.contains(route))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(undecided).as("routes without a role decision in RouteRolesIT.EXPECTED").isEmpty();
        assertThat(stale).as("table entries that are no route").isEmpty();
    }

    @Test
    void everyRouteRefusesWhoMayNotCallItAndAdmitsWhoMay() {
        List<String> failures = new ArrayList<>();
        for (String route : routes()) {
            Set<Role> allowed = isDocs(route) ? PUBLIC : EXPECTED.get(route);
            if (allowed == null) {
                continue; // reported by the test above
            }
            check(route, allowed, failures);
        }
        assertThat(failures).isEmpty();
    }

    private void check(String route, Set<Role> allowed, List<String> failures) {
        if (allowed.isEmpty()) {
            expectPast(route, null, "without a token", failures);
            return;
        }
        expect(route, null, 401, "without a token", failures);
        Set<Role> others = EnumSet.complementOf(EnumSet.copyOf(allowed));
        others.remove(Role.ADMIN);
        if (!others.isEmpty()) {
            expect(route, token(others), 403, "with roles " + others, failures);
        }
        Role one = allowed.contains(Role.CHANNEL) ? Role.CHANNEL : allowed.stream().filter(role -> role != Role.ADMIN).findFirst()
                .orElse(Role.ADMIN);
        expectPast(route, token(EnumSet.of(one)), "with role " + one, failures);
        expectPast(route, ADMIN_KEY, "as admin", failures);
    }

    private void expect(String route, String token, int status, String as, List<String> failures) {
        int actual = call(route, token);
        if (actual != status) {
            failures.add(route + " " + as + ": " + actual + ", expected " + status);
        }
    }

    private void expectPast(String route, String token, String as, List<String> failures) {
        int actual = call(route, token);
        if (actual == 401 || actual == 403) {
            failures.add(route + " " + as + ": " + actual + ", expected to get past security");
        }
    }

    /** Calls the route with placeholder ids (nothing is found, so nothing changes) and an empty JSON body. */
    private int call(String route, String token) {
        String[] parts = route.split(" ", 2);
        HttpMethod method = HttpMethod.valueOf(parts[0]);
        WebTestClient client = token == null ? http : as(token);
        WebTestClient.RequestBodySpec request = client.method(method).uri(concrete(parts[1]));
        WebTestClient.RequestHeadersSpec<?> ready = method == HttpMethod.GET || method == HttpMethod.DELETE ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue("{}");
        FluxExchangeResult<byte[]> result = ready.exchange().returnResult(byte[].class);
        int status = result.getStatus().value();
        // the live event stream never ends: read its first bit and hang up
        result.getResponseBody().take(1).then().block(Duration.ofSeconds(10));
        return status;
    }

    private static String concrete(String pattern) {
        return pattern.replace("{id}", UUID.randomUUID().toString())
                .replace("{deliveryId}", UUID.randomUUID().toString())
                .replace("{orderId}", UUID.randomUUID().toString())
                .replace("{warehouse}", "W-ROLES")
                .replace("{sku}", "SKU-ROLES")
                .replace("{customerId}", "C-ROLES")
                .replace("{buyerPart}", "BP-ROLES")
                .replace("{kind}", "855")
                .replace("{system}", "no-such-system");
    }

    private String token(Set<Role> roles) {
        return tokens.computeIfAbsent(roles, wanted -> issueToken("user",
                wanted.stream().map(Role::code).sorted().toList(),
                List.of(unique("shop"))));
    }

    /** "METHOD pattern" for every handler method and router function route the application serves. */
    private Set<String> routes() {
        Set<String> routes = new TreeSet<>();
        RequestMappingHandlerMapping mapping = context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            Set<String> methods = info.getMethodsCondition().getMethods().stream().map(Enum::name).collect(Collectors.toSet());
            if (methods.isEmpty()) {
                methods = Set.of("GET");
            }
            for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                for (String method : methods) {
                    routes.add(method + " " + pattern.getPatternString());
                }
            }
        }
        context.getBeansOfType(RouterFunctionMapping.class).values().forEach(functions -> {
            RouterFunction<?> function = functions.getRouterFunction();
            if (function != null) {
                routes.add("ROUTER " + function);
            }
        });
        return routes;
    }

    private static void expect(Set<Role> roles, String... routes) {
        for (String route : routes) {
            EXPECTED.put(route, roles);
        }
    }
}
