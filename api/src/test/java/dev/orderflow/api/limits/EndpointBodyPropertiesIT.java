package dev.orderflow.api.limits;

import static dev.orderflow.api.support.ProblemAssertions.assertAcceptedOrProblem;

import dev.orderflow.api.support.JsonEdit;
import dev.orderflow.api.support.JsonText;
import dev.orderflow.api.support.OddJson;
import dev.orderflow.api.support.PropertyIntegrationTest;
import dev.orderflow.api.support.TextDamage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Every JSON body the API takes besides an order's (OrderBodyPropertiesIT has those): webhook
 * subscriptions and replays, principals, stock counts, receipts and adjustments, shipments,
 * cancellations, EDI cross-references. A valid body is damaged with a few field edits (odd text,
 * numbers and times, wrong shapes, fields removed) and sometimes in its text; every answer is a 2xx
 * or a 4xx problem, never a 5xx. A throwaway probe of these found a replay {@code since} of year
 * +999999999 answered with a 500; this keeps every such field under test.
 */
class EndpointBodyPropertiesIT extends PropertyIntegrationTest {

    private static final String WAREHOUSE = unique("WB");
    private static final String SKU = unique("SKU");
    private static final String CHANNEL = unique("shop");
    /** The subscriptions' channel: no order is ever placed on it, so nothing is delivered to them. */
    private static final String QUIET = unique("quiet");
    private static volatile Fixture fixture;

    /** What the endpoints act on, made once: an order to ship and cancel, a subscription to replay. */
    private record Fixture(String orderId, String subscriptionId, String channelToken) {
    }

    /** One endpoint: who calls it, where, and a body it takes. */
    private record Endpoint(String name, HttpMethod method, String uri, boolean admin, Supplier<Map<String, Object>> validBody,
            List<String> paths) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Damaged(Endpoint endpoint, String description, byte[] bytes) {
        @Override
        public String toString() {
            return endpoint + " " + description;
        }
    }

    @BeforeProperty
    void theOrderAndSubscriptionTheEndpointsActOn() {
        if (fixture == null) {
            stock(WAREHOUSE, SKU, 1_000_000);
            String token = issueToken("channel", List.of("channel"), List.of(CHANNEL));
            Map<?, ?> order = as(token).post().uri("/v1/orders").header("Idempotency-Key", UUID.randomUUID().toString())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("externalRef", unique("PO"), "customerId", "C-1", "currency", "USD", "warehouse", WAREHOUSE,
                            "lines", List.of(Map.of("sku", SKU, "quantity", 1_000, "unitPrice", "1.00"))))
                    .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            Map<?, ?> subscription = asAdmin().post().uri("/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("url", "https://example.com/hooks", "events", List.of("order.*"), "channels", List.of(QUIET)))
                    .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            fixture = new Fixture(order.get("id").toString(), subscription.get("id").toString(), token);
        }
    }

    @Property(tries = 300)
    void anyDamagedBodyIsAnAnswerOrAProblem(@ForAll("damagedBodies") Damaged damaged) {
        Endpoint endpoint = damaged.endpoint();
        WebTestClient client = endpoint.admin() ? asAdmin() : as(fixture.channelToken());
        EntityExchangeResult<byte[]> answer = client.method(endpoint.method()).uri(endpoint.uri()
                        .replace("{order}", fixture.orderId()).replace("{subscription}", fixture.subscriptionId()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(damaged.bytes())
                .exchange()
                .expectBody()
                .returnResult();

        assertAcceptedOrProblem(answer);
    }

    @Provide
    Arbitrary<Damaged> damagedBodies() {
        return Arbitraries.of(endpoints()).flatMap(endpoint -> Combinators
                .combine(OddJson.edits(endpoint.paths()).list().ofMinSize(1).ofMaxSize(3), TextDamage.any())
                .as((edits, damage) -> {
                    Map<String, Object> body = endpoint.validBody().get();
                    edits.forEach(edit -> edit.apply(body));
                    byte[] bytes = damage.apply(JsonText.write(body).getBytes(StandardCharsets.UTF_8));
                    return new Damaged(endpoint, edits + " " + damage + ": " + JsonEdit.abbreviate(new String(bytes, StandardCharsets.UTF_8)),
                            bytes);
                }));
    }

    private static List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("subscribe", HttpMethod.POST, "/v1/webhooks", true,
                        () -> body("url", "https://example.com/hooks", "events", List.of("order.*"), "channels", List.of(QUIET)),
                        List.of("url", "events", "events.0", "channels", "channels.0", "unknownField")),
                new Endpoint("replay", HttpMethod.POST, "/v1/webhooks/{subscription}/replay", true,
                        () -> body("since", "2026-01-01T00:00:00Z"), List.of("since", "unknownField")),
                new Endpoint("issue principal", HttpMethod.POST, "/v1/admin/principals", true,
                        () -> body("name", unique("p"), "kind", "channel", "roles", List.of("channel"), "channels", List.of(QUIET)),
                        List.of("name", "kind", "roles", "roles.0", "channels", "channels.0", "unknownField")),
                new Endpoint("count", HttpMethod.PUT, "/v1/inventory/" + WAREHOUSE + "/" + SKU, true,
                        () -> body("onHand", 1_000_000, "reason", "cycle count"), List.of("onHand", "reason", "unknownField")),
                new Endpoint("receipt", HttpMethod.POST, "/v1/inventory/receipts", true,
                        () -> body("warehouse", WAREHOUSE, "reference", "R-1", "lines", List.of(body("sku", SKU, "quantity", 5))),
                        List.of("warehouse", "reference", "lines", "lines.0", "lines.0.sku", "lines.0.quantity", "unknownField")),
                new Endpoint("adjustment", HttpMethod.POST, "/v1/inventory/adjustments", true,
                        () -> body("warehouse", WAREHOUSE, "sku", SKU, "delta", 1, "reason", "found"),
                        List.of("warehouse", "sku", "delta", "reason", "unknownField")),
                new Endpoint("shipment", HttpMethod.POST, "/v1/orders/{order}/shipments", true,
                        () -> body("shipmentId", unique("S"), "lines", List.of(body("lineNo", 1, "quantity", 1)), "carrier", "UPS",
                                "trackingNumber", "1Z999"),
                        List.of("shipmentId", "lines", "lines.0", "lines.0.lineNo", "lines.0.quantity", "carrier", "trackingNumber")),
                new Endpoint("cancel", HttpMethod.POST, "/v1/orders/{order}/cancel", true,
                        () -> body("reason", "customer asked"), List.of("reason", "unknownField")),
                new Endpoint("cross-references", HttpMethod.PUT, "/v1/edi/customers/C-1/items", false,
                        () -> body("items", List.of(body("buyerPart", "BP-1", "sku", SKU))),
                        List.of("items", "items.0", "items.0.buyerPart", "items.0.sku", "unknownField")));
    }

    /** A mutable JSON object of alternating names and values. */
    private static Map<String, Object> body(Object... namesAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            body.put((String) namesAndValues[i], value instanceof List<?> list ? new ArrayList<>(list) : value);
        }
        return body;
    }
}
