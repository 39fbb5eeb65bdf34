package dev.orderflow.api.simulator;

import static dev.orderflow.api.simulator.SimulatorContractIT.creditBody;
import static dev.orderflow.api.simulator.SimulatorContractIT.fulfillmentBody;
import static dev.orderflow.api.simulator.SimulatorContractIT.invoiceBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Each simulator's behaviour, changed at runtime: latency delays answers, the error rate answers
 * 500 problems, an outage 503 with Retry-After, and a refused call is never recorded, so its retry
 * with the same key succeeds. The behaviour is shared by the whole test context, so each test puts
 * back what it found.
 */
class SimulatorBehaviourIT extends IntegrationTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    private final Map<SimulatedSystem, Map<String, Object>> before = new EnumMap<>(SimulatedSystem.class);

    @BeforeEach
    void remember() {
        for (SimulatedSystem system : SimulatedSystem.values()) {
            before.put(system, behaviour(system.path()));
        }
    }

    @AfterEach
    void restore() {
        before.forEach((system, behaviour) -> change(system.path(), behaviour));
    }

    @Test
    void theConfiguredBehaviourIsTheDefault() {
        assertThat(behaviour("credit")).isEqualTo(Map.of("latencyMs", 20, "errorRate", 0.0, "outage", false));
    }

    @Test
    void aChangeAnswersTheNewBehaviourAndKeepsWhatItLeavesOut() {
        Map<String, Object> changed = change("invoicing", Map.of("errorRate", 0.25));

        assertThat(changed).isEqualTo(Map.of("latencyMs", 20, "errorRate", 0.25, "outage", false));
        assertThat(behaviour("invoicing")).isEqualTo(changed);
    }

    @Test
    void impossibleKnobsAreAValidationProblem() {
        http.put().uri("/simulators/credit/behaviour")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("errorRate", 1.5, "latencyMs", -1))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'errorRate')]").exists()
                .jsonPath("$.errors[?(@.field == 'latencyMs')]").exists();
        assertThat(behaviour("credit")).isEqualTo(before.get(SimulatedSystem.CREDIT));
    }

    @Test
    void latencyDelaysEachAnswer() {
        change("credit", Map.of("latencyMs", 400));

        long started = System.nanoTime();
        http.post().uri("/simulators/credit/credit-checks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(creditBody(orderId(), "C-1", "1.00"))
                .exchange()
                .expectStatus().isOk();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void anErrorRateOfOneAnswers500ProblemsAndRecordsNothingSoTheRetrySucceeds() {
        String orderId = orderId();
        String key = unique("ful");
        change("fulfillment", Map.of("errorRate", 1.0));

        for (int attempt = 0; attempt < 3; attempt++) {
            http.post().uri("/simulators/fulfillment/fulfillment-requests")
                    .header("Idempotency-Key", key)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(fulfillmentBody(orderId))
                    .exchange()
                    .expectStatus().isEqualTo(500)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.status").isEqualTo(500)
                    .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("on purpose"));
        }
        assertThat(calls("fulfillment", orderId)).isEmpty();

        change("fulfillment", Map.of("errorRate", 0.0));
        http.post().uri("/simulators/fulfillment/fulfillment-requests")
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(fulfillmentBody(orderId))
                .exchange()
                .expectStatus().isAccepted();
        assertThat(calls("fulfillment", orderId)).hasSize(1);
    }

    @Test
    void anOutageAnswers503WithRetryAfterAndRecordsNothing() {
        String orderId = orderId();
        change("invoicing", Map.of("outage", true));

        http.post().uri("/simulators/invoicing/invoices")
                .header("Idempotency-Key", unique("inv"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(invoiceBody(orderId, "INVOICE"))
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://orderflow.dev/problems/simulated-outage")
                .jsonPath("$.status").isEqualTo(503);
        assertThat(calls("invoicing", orderId)).isEmpty();
    }

    @Test
    void aBehaviourChangeTouchesOnlyItsSystem() {
        change("credit", Map.of("outage", true));

        http.post().uri("/simulators/invoicing/invoices")
                .header("Idempotency-Key", unique("inv"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(invoiceBody(orderId(), "INVOICE"))
                .exchange()
                .expectStatus().isCreated();
        http.post().uri("/simulators/credit/credit-checks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(creditBody(orderId(), "C-1", "1.00"))
                .exchange()
                .expectStatus().isEqualTo(503);
    }

    private Map<String, Object> behaviour(String system) {
        return http.get().uri("/simulators/{system}/behaviour", system)
                .exchange()
                .expectStatus().isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
    }

    private Map<String, Object> change(String system, Map<String, Object> change) {
        return http.put().uri("/simulators/{system}/behaviour", system)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(change)
                .exchange()
                .expectStatus().isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private List<Object> calls(String system, String orderId) {
        return (List<Object>) http.get().uri("/simulators/{system}/calls?orderId={orderId}", system, orderId)
                .exchange()
                .expectStatus().isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody()
                .get("items");
    }

    private static String orderId() {
        return UUID.randomUUID().toString();
    }
}
