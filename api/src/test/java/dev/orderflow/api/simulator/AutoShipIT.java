package dev.orderflow.api.simulator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.orderflow.api.simulator.SimulatorContractIT.fulfillmentBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.orchestration.principal.ApiKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fulfillment simulator ships what was requested and confirms it on Orderflow's API. Here a
 * WireMock server stands in for that API, so the test sees exactly what the simulator sent: one
 * {@code POST /v1/orders/{id}/shipments} per fulfillment request, with every line, the same
 * shipmentId on every retry, and the key of the simulator's own warehouse principal.
 */
@TestPropertySource(properties = {
        "orderflow.simulator.fulfillment.latency=0ms",
        // a context of its own: only the shared test context may run workers (engine, webhook dispatcher), or two would claim each other's steps
        "orderflow.workers.enabled=false",
        // long enough that a cancel sent right after its request always comes first
        "orderflow.simulator.fulfillment.ship-delay=1s",
        "orderflow.simulator.fulfillment.callback-backoff=50ms",
        "orderflow.simulator.fulfillment.callback-retries=3"})
class AutoShipIT extends IntegrationTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    private static final WireMockServer orderflow = new WireMockServer(options().dynamicPort());

    static {
        orderflow.start();
    }

    @DynamicPropertySource
    static void confirmShipmentsToWireMock(DynamicPropertyRegistry registry) {
        registry.add("orderflow.simulator.fulfillment.callback-base-url", orderflow::baseUrl);
    }

    @AfterAll
    static void stopWireMock() {
        orderflow.stop();
    }

    @Autowired
    JsonMapper json;

    @BeforeEach
    void acceptEveryShipment() {
        orderflow.resetAll();
        orderflow.stubFor(post(urlPathMatching("/v1/orders/[^/]+/shipments")).willReturn(aResponse().withStatus(201)));
    }

    @Test
    void everyRequestedLineIsShippedOnceAsTheSimulatorsWarehousePrincipal() {
        String orderId = orderId();
        String key = unique("ful");
        String requestId = requestFulfillment(orderId, key);
        // the engine retrying its request is the same request, not a second shipment
        assertThat(requestFulfillment(orderId, key)).isEqualTo(requestId);

        LoggedRequest confirmation = awaitConfirmations(orderId, 1).get(0);
        stillExactly(orderId, 1);

        Map<?, ?> body = json.readValue(confirmation.getBodyAsString(), Map.class);
        assertThat(body.get("shipmentId")).isEqualTo("sim-" + requestId);
        assertThat(body.get("lines")).isEqualTo(List.of(Map.of("lineNo", 1, "quantity", 3), Map.of("lineNo", 2, "quantity", 1)));
        assertThat(body.get("carrier")).isEqualTo("SIM");
        assertThat((String) body.get("trackingNumber")).isNotBlank();
        assertThat(confirmation.getHeader("Content-Type")).startsWith(MediaType.APPLICATION_JSON_VALUE);

        String authorization = confirmation.getHeader("Authorization");
        assertThat(authorization).startsWith("Bearer ");
        assertIsTheSimulatorsWarehouseKey(authorization.substring("Bearer ".length()));
    }

    @Test
    void aCancelBeforeTheDelayShipsNothing() {
        String cancelled = orderId();
        String shipped = orderId();
        requestFulfillment(cancelled, unique("ful"));
        http.post().uri("/simulators/fulfillment/fulfillment-requests/{id}/cancel", cancelled).exchange()
                .expectStatus().isOk();
        requestFulfillment(shipped, unique("ful"));

        awaitConfirmations(shipped, 1);

        // the cancelled order's shipment was due before the other one's
        assertThat(confirmations(cancelled)).isEmpty();
    }

    @Test
    void aConfirmationThatFailsForAWhileIsRetriedAsTheSameShipment() {
        String orderId = orderId();
        String path = "/v1/orders/" + orderId + "/shipments";
        orderflow.stubFor(post(urlPathEqualTo(path)).inScenario(orderId).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("still down"));
        orderflow.stubFor(post(urlPathEqualTo(path)).inScenario(orderId).whenScenarioStateIs("still down")
                .willReturn(aResponse().withStatus(500)).willSetStateTo("up"));
        orderflow.stubFor(post(urlPathEqualTo(path)).inScenario(orderId).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(201)));
        String requestId = requestFulfillment(orderId, unique("ful"));

        List<LoggedRequest> attempts = awaitConfirmations(orderId, 3);
        stillExactly(orderId, 3);

        assertThat(attempts).extracting(attempt -> json.readValue(attempt.getBodyAsString(), Map.class).get("shipmentId"))
                .containsOnly("sim-" + requestId);
    }

    @Test
    void aRefusedConfirmationIsNotRetried() {
        String orderId = orderId();
        orderflow.stubFor(post(urlPathEqualTo("/v1/orders/" + orderId + "/shipments"))
                .willReturn(aResponse().withStatus(422)));
        requestFulfillment(orderId, unique("ful"));

        awaitConfirmations(orderId, 1);

        // with a 50ms backoff a retry would have come by now
        stillExactly(orderId, 1);
    }

    private String requestFulfillment(String orderId, String key) {
        Map<String, Object> accepted = http.post().uri("/simulators/fulfillment/fulfillment-requests")
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(fulfillmentBody(orderId))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
        return (String) accepted.get("requestId");
    }

    private List<LoggedRequest> confirmations(String orderId) {
        return orderflow.findAll(postRequestedFor(urlPathEqualTo("/v1/orders/" + orderId + "/shipments")));
    }

    private List<LoggedRequest> awaitConfirmations(String orderId, int count) {
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> confirmations(orderId).size() >= count);
        return confirmations(orderId);
    }

    private void stillExactly(String orderId, int count) {
        await().pollInSameThread()
                .during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> confirmations(orderId).size() == count);
    }

    /** The key belongs to the principal the simulator issued for itself, and it may do warehouse work. */
    private void assertIsTheSimulatorsWarehouseKey(String token) {
        Map<String, Object> principal = principalWithHint(ApiKeys.hint(token));
        assertThat(principal.get("name")).isEqualTo("fulfillment-simulator");
        assertThat(principal.get("kind")).isEqualTo("user");
        assertThat(principal.get("roles")).isEqualTo(List.of("warehouse"));

        as(token).put().uri("/v1/inventory/{warehouse}/{sku}", unique("W"), unique("SKU"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("onHand", 1, "reason", "CYCLE_COUNT"))
                .exchange()
                .expectStatus().isOk();
        as(token).get().uri("/v1/admin/principals").exchange()
                .expectStatus().isForbidden();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> principalWithHint(String hint) {
        String cursor = null;
        do {
            String page = cursor == null ? "/v1/admin/principals?limit=500" : "/v1/admin/principals?limit=500&cursor=" + cursor;
            Map<String, Object> answer = asAdmin().get().uri(page).exchange()
                    .expectStatus().isOk()
                    .expectBody(JSON)
                    .returnResult()
                    .getResponseBody();
            for (Map<String, Object> principal : (List<Map<String, Object>>) answer.get("items")) {
                if (hint.equals(principal.get("tokenHint"))) {
                    return principal;
                }
            }
            cursor = (String) answer.get("nextCursor");
        } while (cursor != null);
        throw new AssertionError("no active principal holds the key the simulator sent");
    }

    private static String orderId() {
        return UUID.randomUUID().toString();
    }
}
