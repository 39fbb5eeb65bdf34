package dev.orderflow.api.order;

import static dev.orderflow.api.support.ProblemAssertions.assertAcceptedOrProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.JsonText;
import dev.orderflow.api.support.JsonText.Raw;
import dev.orderflow.api.support.PropertyIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.springframework.http.HttpHeaders;
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

        String body = answer.getResponseBody() == null ? "" : new String(answer.getResponseBody(), StandardCharsets.UTF_8);
        boolean accepted = assertAcceptedOrProblem(answer.getStatus().value(),
                answer.getResponseHeaders().getFirst(HttpHeaders.CONTENT_TYPE), body);
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
        Arbitrary<List<Edit>> edits = edit().list().ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(edits, textDamage()).as((chosen, damage) -> {
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

    /** A change to one field, found by its path ("lines.0.quantity"); missing containers make it a no-op. */
    record Edit(String path, boolean remove, Object value) {

        void apply(Map<String, Object> body) {
            String[] steps = path.split("\\.");
            Object container = body;
            for (int i = 0; i < steps.length - 1 && container != null; i++) {
                container = child(container, steps[i]);
            }
            String last = steps[steps.length - 1];
            if (container instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = (Map<String, Object>) map;
                if (remove) {
                    fields.remove(last);
                } else {
                    fields.put(last, mutable(value));
                }
            } else if (container instanceof List<?> list && index(last) >= 0 && index(last) < list.size()) {
                @SuppressWarnings("unchecked")
                List<Object> items = (List<Object>) list;
                if (remove) {
                    items.remove(index(last));
                } else {
                    items.set(index(last), mutable(value));
                }
            }
        }

        /** A copy a later edit may change (the generated values are immutable, and shared between tries). */
        private static Object mutable(Object value) {
            if (value instanceof Map<?, ?> map) {
                Map<Object, Object> copy = new LinkedHashMap<>();
                map.forEach((key, item) -> copy.put(key, mutable(item)));
                return copy;
            }
            if (value instanceof List<?> list) {
                List<Object> copy = new ArrayList<>();
                list.forEach(item -> copy.add(mutable(item)));
                return copy;
            }
            return value;
        }

        private static Object child(Object container, String step) {
            if (container instanceof Map<?, ?> map) {
                return map.get(step);
            }
            if (container instanceof List<?> list && index(step) >= 0 && index(step) < list.size()) {
                return list.get(index(step));
            }
            return null;
        }

        /** A path step as a list index; -1 for a field name (an earlier edit may have put a list where an object was). */
        private static int index(String step) {
            return step.chars().allMatch(Character::isDigit) ? Integer.parseInt(step) : -1;
        }

        @Override
        public String toString() {
            return remove ? "-" + path : path + "=" + abbreviate(JsonText.write(value));
        }
    }

    private static final List<String> PATHS = List.of("externalRef", "customerId", "currency", "shipTo", "warehouse",
            "fulfillmentPolicy", "invoicingPolicy", "lines", "shipTo.name", "shipTo.line1", "shipTo.city", "shipTo.postalCode",
            "shipTo.country", "lines.0", "lines.1", "lines.0.sku", "lines.0.quantity", "lines.0.unitPrice",
            "lines.0.discountPercent", "lines.1.quantity", "lines.1.unitPrice", "unknownField");

    private Arbitrary<Edit> edit() {
        Arbitrary<String> paths = Arbitraries.of(PATHS);
        Arbitrary<Edit> removals = paths.map(path -> new Edit(path, true, null));
        Arbitrary<Edit> replacements = Combinators.combine(paths, anyValue()).as((path, value) -> new Edit(path, false, value));
        return Arbitraries.frequencyOf(
                Tuple.of(1, removals),
                Tuple.of(4, replacements));
    }

    private Arbitrary<Object> anyValue() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, oddStrings().map(Object.class::cast)),
                Tuple.of(4, numbers()),
                Tuple.of(1, Arbitraries.of(true, false).map(Object.class::cast)),
                Tuple.of(1, Arbitraries.just(new Raw("null")).map(Object.class::cast)),
                Tuple.of(1, Arbitraries.of(List.of(), Map.of(), List.of("SKU"), Map.of("a", 1))
                        .map(Object.class::cast)),
                Tuple.of(1, Arbitraries.integers().between(1, 120).map(OrderBodyPropertiesIT::nested)),
                Tuple.of(1, Arbitraries.integers().between(0, 260).map(OrderBodyPropertiesIT::manyLines)));
    }

    /** Strings with what breaks naive code: NUL, lone surrogates, control and format characters, astral characters, length. */
    private static Arbitrary<String> oddStrings() {
        Arbitrary<String> mixed = Arbitraries.strings()
                .withChars('\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\u00e9', '\u200b', '\u202e', '\ufeff', '\uffff',
                        '\ud800', '\udbff', '\udc00', '\udfff', '"', '\\', '\'', '%', '<', ';', ' ', '\t', '\n')
                .withCharRange('A', 'Z').withCharRange('0', '9')
                .ofMaxLength(40);
        Arbitrary<String> fixed = Arbitraries.of("", " ", "\u0000", "SKU\u0000", "\ud800", "\udc00x", "\ud83d\ude00", "usd",
                "US\u0000", "SHIP_COMPLETE", "ship_partial", "W1", "12.50", "1e3", "-1", "NaN", "null", "../../etc",
                "' OR 1=1 --", "\u202eDSU");
        Arbitrary<String> long_ = Arbitraries.integers().between(90, 5_000).map("x"::repeat);
        return Arbitraries.frequencyOf(
                Tuple.of(5, mixed), Tuple.of(4, fixed), Tuple.of(1, long_));
    }

    /** Number tokens: negative, zero, fractional, past int and long, past double, and too many digits. */
    private static Arbitrary<Object> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-5, 100_005).map(Object.class::cast),
                Arbitraries.of("-1", "0", "-0", "1.5", "0.0001", "100001", "2147483647", "2147483648", "-2147483649",
                        "9223372036854775808", "1e400", "-1e400", "1E-400", "123456789012345678901234567890",
                        "1" + "0".repeat(150)).map(Raw::new).map(Object.class::cast),
                Arbitraries.of("-0.01", "12.345678", "99999999999999.99", "1e9999", "NaN", "Infinity", "0x10", "12,50")
                        .map(Object.class::cast));
    }

    private static Object nested(int depth) {
        Object value = "deep";
        for (int i = 0; i < depth; i++) {
            value = i % 2 == 0 ? List.of(value) : Map.of("x", value);
        }
        return value;
    }

    private static Object manyLines(int count) {
        List<Object> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(Map.of("sku", SKU, "quantity", 1, "unitPrice", "1.00"));
        }
        return lines;
    }

    // ---- damage to the text itself

    interface TextDamage {
        byte[] apply(byte[] text);
    }

    private static Arbitrary<TextDamage> textDamage() {
        Arbitrary<TextDamage> none = Arbitraries.just(named("intact", text -> text));
        Arbitrary<TextDamage> truncation = Arbitraries.doubles().between(0, 1).map(share ->
                named("truncated at " + Math.round(share * 100) + "%", text -> Arrays.copyOf(text, (int) (text.length * share))));
        Arbitrary<TextDamage> garbage = Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.bytes())
                .as((share, b) -> named("byte " + b + " at " + Math.round(share * 100) + "%", text -> {
                    byte[] copy = text.clone();
                    copy[Math.min(copy.length - 1, (int) (copy.length * share))] = b;
                    return copy;
                }));
        Arbitrary<TextDamage> notAnObject = Arbitraries.of("", "[]", "null", "\"order\"", "42", "{", "}", "{\"lines\":[{}]}",
                "{\"a\":1,\"a\":2}", "\u0000", "<order/>").map(text -> named("replaced by " + text, ignored -> text.getBytes(StandardCharsets.UTF_8)));
        return Arbitraries.frequencyOf(
                Tuple.of(6, none), Tuple.of(1, truncation),
                Tuple.of(1, garbage), Tuple.of(1, notAnObject));
    }

    private static TextDamage named(String name, TextDamage damage) {
        return new TextDamage() {
            @Override
            public byte[] apply(byte[] text) {
                return damage.apply(text);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static String preview(byte[] bytes) {
        return abbreviate(new String(bytes, StandardCharsets.UTF_8));
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " chars)";
    }
}
