package dev.orderflow.api.order;

import static dev.orderflow.api.support.ProblemAssertions.assertAcceptedOrProblem;
import static org.assertj.core.api.Assertions.assertThat;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code POST /v1/orders} with arbitrary damage to a valid order body: fields missing, of the
 * wrong type, huge or negative numbers, odd Unicode (U+0000, unpaired surrogates, right-to-left
 * marks, astral characters), deep nesting, many lines, truncated or garbled text. Every answer is
 * either an order (the body was valid after all, and the order is stored) or a 4xx problem whose
 * {@code status} is the HTTP status; never a 5xx, never a stack trace, and after a refusal nothing
 * of the order is kept.
 */
class OrderBodyPropertiesIT extends PropertyIntegrationTest {

    private static final String WAREHOUSE = unique("WP");
    private static final String SKU = unique("SKU");
    private static volatile boolean stocked;

    @BeforeProperty
    void aStockedWarehouse() {
        if (!stocked) {
            stock(WAREHOUSE, SKU, 1_000_000);
            stocked = true;
        }
    }

    @Property(tries = 500)
    void anyDamagedOrderBodyIsAnOrderOrAProblem(@ForAll("damagedOrders") Damaged damaged) {
        // a channel of its own per try: whatever the body became, its orders are this try's
        WebTestClient channel = as(channelToken());
        EntityExchangeResult<byte[]> answer = channel.post().uri("/v1/orders")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(damaged.bytes())
                .exchange()
                .expectBody()
                .returnResult();

        boolean accepted = assertAcceptedOrProblem(answer);
        assertThat(orders(channel)).as("orders kept for %s after %s", damaged, answer.getStatus()).isEqualTo(accepted ? 1 : 0);
    }

    private static int orders(WebTestClient channel) {
        Map<?, ?> page = channel.get().uri("/v1/orders?limit=5")
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        return ((List<?>) page.get("items")).size();
    }

    /** The body as sent, and what was done to it. */
    record Damaged(String description, byte[] bytes) {
        @Override
        public String toString() {
            return description;
        }
    }

    @Provide
    Arbitrary<Damaged> damagedOrders() {
        Arbitrary<List<JsonEdit>> edits = edit().list().ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(edits, TextDamage.any()).as((chosen, damage) -> {
            String externalRef = "PO-" + UUID.randomUUID();
            Map<String, Object> body = validOrder(externalRef);
            chosen.forEach(one -> one.apply(body));
            String text = JsonText.write(body);
            byte[] bytes = damage.apply(text.getBytes(StandardCharsets.UTF_8));
            return new Damaged(chosen + " " + damage + ": " + preview(bytes), bytes);
        });
    }

    private static Map<String, Object> validOrder(String externalRef) {
        Map<String, Object> shipTo = new LinkedHashMap<>(Map.of("name", "Dock 4", "line1", "1 Harbor Rd", "city", "Portland",
                "postalCode", "97201", "country", "US"));
        List<Object> lines = new ArrayList<>();
        lines.add(new LinkedHashMap<>(Map.of("sku", SKU, "quantity", 2, "unitPrice", "12.50", "discountPercent", "0")));
        lines.add(new LinkedHashMap<>(Map.of("sku", SKU, "quantity", 1, "unitPrice", "3.00")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("externalRef", externalRef);
        body.put("customerId", "C-100");
        body.put("currency", "USD");
        body.put("shipTo", shipTo);
        body.put("warehouse", WAREHOUSE);
        body.put("fulfillmentPolicy", "SHIP_PARTIAL");
        body.put("invoicingPolicy", "ON_SHIPMENT");
        body.put("lines", lines);
        return body;
    }

    // ---- edits of the parsed body

    private static final List<String> PATHS = List.of("externalRef", "customerId", "currency", "shipTo", "warehouse",
            "fulfillmentPolicy", "invoicingPolicy", "lines", "shipTo.name", "shipTo.line1", "shipTo.city", "shipTo.postalCode",
            "shipTo.country", "lines.0", "lines.1", "lines.0.sku", "lines.0.quantity", "lines.0.unitPrice",
            "lines.0.discountPercent", "lines.1.quantity", "lines.1.unitPrice", "unknownField");

    /** The shared odd values, and for an order also many lines (up to past the limit of 200). */
    private Arbitrary<JsonEdit> edit() {
        Arbitrary<JsonEdit> manyLines = Arbitraries.integers().between(0, 260)
                .map(count -> new JsonEdit("lines", false, manyLines(count)));
        return Arbitraries.frequencyOf(Tuple.of(13, OddJson.edits(PATHS)), Tuple.of(1, manyLines));
    }

    private static Object manyLines(int count) {
        List<Object> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(Map.of("sku", SKU, "quantity", 1, "unitPrice", "1.00"));
        }
        return lines;
    }

    private static String preview(byte[] bytes) {
        return JsonEdit.abbreviate(new String(bytes, StandardCharsets.UTF_8));
    }
}
