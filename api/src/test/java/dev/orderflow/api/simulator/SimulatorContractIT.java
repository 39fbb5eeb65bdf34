package dev.orderflow.api.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.config.DownstreamEndpoints;
import dev.orderflow.api.support.IntegrationTest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The simulators answer the contract's "Downstream systems" section, over real HTTP, and are
 * idempotent by {@code Idempotency-Key}: a replay gets the first answer and is not a second call.
 */
class SimulatorContractIT extends IntegrationTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Autowired
    DownstreamEndpoints downstream;

    @Test
    void theCreditSimulatorDecidesByCustomerAndAmount() {
        assertThat(creditCheck(null, "C-100", "37.50").get("decision")).isEqualTo("APPROVED");
        assertThat(creditCheck(null, "C-100", "10000.01").get("decision")).isEqualTo("HOLD");
        assertThat(creditCheck(null, "HOLD-42", "1.00").get("decision")).isEqualTo("HOLD");
        Map<String, Object> rejected = creditCheck(null, "REJECT-7", "1.00");
        assertThat(rejected.get("decision")).isEqualTo("REJECTED");
        assertThat((String) rejected.get("reason")).contains("REJECT-7");
    }

    @Test
    void aCreditCheckReplayedWithItsKeyIsOneCall() {
        String orderId = orderId();
        String key = unique("credit");
        Map<String, Object> first = post("/simulators/credit/credit-checks", key, creditBody(orderId, "C-1", "12.00"), 200);
        Map<String, Object> replay = post("/simulators/credit/credit-checks", key, creditBody(orderId, "C-1", "12.00"), 200);

        assertThat(replay).isEqualTo(first);
        List<Map<String, Object>> calls = calls("credit", orderId);
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.get("operation")).isEqualTo("credit-check");
            assertThat(call.get("idempotencyKey")).isEqualTo(key);
            assertThat(call.get("orderId")).isEqualTo(orderId);
            assertThat((String) call.get("at")).endsWith("Z");
            assertThat(call.get("answer")).isEqualTo(first);
            assertThat(body(call, "request")).containsEntry("customerId", "C-1").containsEntry("currency", "USD");
        });
    }

    @Test
    void aFulfillmentRequestIsAcceptedOnceWhateverTheRetries() {
        String orderId = orderId();
        String key = unique("ful");
        Map<String, Object> first = post("/simulators/fulfillment/fulfillment-requests", key, fulfillmentBody(orderId), 202);
        Map<String, Object> replay = post("/simulators/fulfillment/fulfillment-requests", key, fulfillmentBody(orderId), 202);

        assertThat((String) first.get("requestId")).isNotBlank();
        assertThat(replay).isEqualTo(first);
        assertThat(calls("fulfillment", orderId)).singleElement()
                .satisfies(call -> assertThat(call.get("operation")).isEqualTo("fulfillment-request"));
    }

    @Test
    void anotherKeyIsAnotherFulfillmentRequest() {
        String orderId = orderId();
        Map<String, Object> first = post("/simulators/fulfillment/fulfillment-requests", unique("a"), fulfillmentBody(orderId), 202);
        Map<String, Object> second = post("/simulators/fulfillment/fulfillment-requests", unique("b"), fulfillmentBody(orderId), 202);

        assertThat(second.get("requestId")).isNotEqualTo(first.get("requestId"));
        assertThat(calls("fulfillment", orderId)).hasSize(2);
    }

    @Test
    void aCancelAnswersCancelledEvenForAnUnknownOrderAndTwiceIsOnce() {
        String orderId = orderId();
        String key = unique("cancel");
        String path = "/simulators/fulfillment/fulfillment-requests/" + orderId + "/cancel";

        assertThat(post(path, key, null, 200)).isEqualTo(Map.of("cancelled", true));
        assertThat(post(path, key, null, 200)).isEqualTo(Map.of("cancelled", true));
        assertThat(calls("fulfillment", orderId)).singleElement()
                .satisfies(call -> assertThat(call.get("operation")).isEqualTo("cancel"));
    }

    @Test
    void anInvoiceIsRaisedOnceWhateverTheRetries() {
        String orderId = orderId();
        String key = unique("inv");
        Map<String, Object> first = post("/simulators/invoicing/invoices", key, invoiceBody(orderId, "INVOICE"), 201);
        Map<String, Object> replay = post("/simulators/invoicing/invoices", key, invoiceBody(orderId, "INVOICE"), 201);
        Map<String, Object> creditNote = post("/simulators/invoicing/invoices", unique("cn"), invoiceBody(orderId, "CREDIT_NOTE"), 201);

        assertThat((String) first.get("invoiceId")).isNotBlank();
        assertThat(replay).isEqualTo(first);
        assertThat(creditNote.get("invoiceId")).isNotEqualTo(first.get("invoiceId"));
        assertThat(calls("invoicing", orderId)).extracting(call -> body(call, "request").get("kind"))
                .containsExactly("INVOICE", "CREDIT_NOTE");
    }

    @Test
    void creatingWithoutAnIdempotencyKeyIsAProblemAndNoCall() {
        String orderId = orderId();
        problem(http.post().uri("/simulators/fulfillment/fulfillment-requests")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(fulfillmentBody(orderId)), 400)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("Idempotency-Key"));
        problem(http.post().uri("/simulators/invoicing/invoices")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(invoiceBody(orderId, "INVOICE")), 400);

        assertThat(calls("fulfillment", orderId)).isEmpty();
        assertThat(calls("invoicing", orderId)).isEmpty();
    }

    @Test
    void aBodyOffTheContractIsAValidationProblem() {
        problem(http.post().uri("/simulators/credit/credit-checks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("orderId", orderId(), "amount", "12.00", "currency", "usd")), 400)
                .jsonPath("$.errors[?(@.field == 'customerId')]").exists()
                .jsonPath("$.errors[?(@.field == 'currency')]").exists();
        problem(http.post().uri("/simulators/invoicing/invoices")
                .header("Idempotency-Key", unique("k"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(invoiceBody(orderId(), "REFUND")), 400)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("kind"));
        problem(http.post().uri("/simulators/fulfillment/fulfillment-requests")
                .header("Idempotency-Key", unique("k"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("orderId", orderId(), "warehouse", "W1", "lines", List.of())), 400)
                .jsonPath("$.errors[0].field").isEqualTo("lines");
    }

    @Test
    void clearingForgetsTheCallsAndTheirKeys() {
        String orderId = orderId();
        String key = unique("inv");
        Map<String, Object> first = post("/simulators/invoicing/invoices", key, invoiceBody(orderId, "INVOICE"), 201);

        http.delete().uri("/simulators/invoicing/calls").exchange().expectStatus().isNoContent();

        assertThat(calls("invoicing", orderId)).isEmpty();
        assertThat(post("/simulators/invoicing/invoices", key, invoiceBody(orderId, "INVOICE"), 201))
                .isNotEqualTo(first);
    }

    @Test
    void anUnknownSimulatorIsNotFound() {
        problem(http.get().uri("/simulators/payments/behaviour"), 404)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("credit, fulfillment, invoicing"));
        problem(http.get().uri("/simulators/payments/calls"), 404);
    }

    @Test
    void theSimulatorsLiveUnderThisServersOwnUrl() {
        // (the shared test context points the engine at WireMock; DownstreamEndpointsTest covers the defaulting)
        assertThat(downstream.simulator("credit")).isEqualTo(URI.create("http://localhost:" + port + "/simulators/credit"));
        assertThat(downstream.simulator("fulfillment")).isEqualTo(URI.create("http://localhost:" + port + "/simulators/fulfillment"));
        assertThat(downstream.simulator("invoicing")).isEqualTo(URI.create("http://localhost:" + port + "/simulators/invoicing"));

        // what the engine will do: append the contract's path to the base URL
        Map<?, ?> answer = WebClient.create().post()
                .uri(downstream.simulator("credit") + "/credit-checks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(creditBody(orderId(), "C-9", "5.00"))
                .retrieve()
                .bodyToMono(Map.class)
                .block();
        assertThat(answer.get("decision")).isEqualTo("APPROVED");
    }

    private Map<String, Object> creditCheck(String key, String customerId, String amount) {
        return post("/simulators/credit/credit-checks", key, creditBody(orderId(), customerId, amount), 200);
    }

    private Map<String, Object> post(String path, String key, Object body, int status) {
        WebTestClient.RequestBodySpec request = http.post().uri(path).headers(headers -> {
            if (key != null) {
                headers.set("Idempotency-Key", key);
            }
        });
        WebTestClient.RequestHeadersSpec<?> ready = body != null
                ? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                : request;
        return ready.exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
    }

    private static WebTestClient.BodyContentSpec problem(WebTestClient.RequestHeadersSpec<?> request, int status) {
        return request.exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> calls(String system, String orderId) {
        Map<String, Object> answer = http.get().uri("/simulators/{system}/calls?orderId={orderId}", system, orderId)
                .exchange()
                .expectStatus().isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
        return (List<Map<String, Object>>) answer.get("items");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Map<String, Object> call, String name) {
        return (Map<String, Object>) call.get(name);
    }

    private static String orderId() {
        return UUID.randomUUID().toString();
    }

    static Map<String, Object> creditBody(String orderId, String customerId, String amount) {
        return Map.of("orderId", orderId, "customerId", customerId, "amount", amount, "currency", "USD");
    }

    static Map<String, Object> fulfillmentBody(String orderId) {
        return Map.of("orderId", orderId, "warehouse", "W1",
                "lines", List.of(Map.of("lineNo", 1, "sku", "SKU-1", "quantity", 3), Map.of("lineNo", 2, "sku", "SKU-2", "quantity", 1)),
                "shipTo", Map.of("name", "Ada", "city", "Springfield", "country", "US"));
    }

    static Map<String, Object> invoiceBody(String orderId, String kind) {
        return Map.of("orderId", orderId, "customerId", "C-100", "kind", kind,
                "lines", List.of(Map.of("lineNo", 1, "sku", "SKU-1", "quantity", 3, "amount", "37.50")),
                "total", "37.50", "currency", "USD");
    }
}
