package dev.orderflow.api.scaleout;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Three instances on one PostgreSQL and one Redis server: the scale-out checks, then graceful
 * shutdown as Kubernetes does it (SIGTERM to the instance that holds a step mid-call).
 */
class ScaleOutIT extends ScaleOutScenario {

    @Override
    LocalRedis startRedis() {
        return LocalRedis.standalone();
    }

    @Override
    int instanceCount() {
        return 3;
    }

    @Override
    List<String> warehouses() {
        return List.of("W-A", "W-B", "W-C");
    }

    @Test
    @Order(2)
    void aStepInFlightAtShutdownFinishesThereAndIsNotRunAgain() {
        // 1.5 s: well within the 3 s the instance drains for
        downstreams.stubFor(post(urlPathEqualTo("/credit/credit-checks")).withRequestBody(containing("SLOW-DRAIN")).atPriority(1)
                .willReturn(okJson("{\"decision\":\"APPROVED\",\"reason\":\"slowly\"}").withFixedDelay(1500)));
        stock(alive().get(0), "W-SHUTDOWN", 10);
        String orderId = placeOn(alive().get(0), "PO-DRAIN", "SLOW-DRAIN", "W-SHUTDOWN");

        StepInFlight step = awaitCreditCheckInFlight(orderId);
        OrderflowProcess holder = holderOf(step);
        holder.terminate();
        holder.awaitExit(Duration.ofSeconds(30));

        assertThat(postgres.rows("SELECT state, attempts FROM step WHERE id = ?::uuid", step.id()))
                .as("settled by the instance that ran it, before it exited")
                .containsExactly(Map.of("state", "SUCCEEDED", "attempts", 1));
        assertThat(callsWith(step.id())).as("credit check calls").hasSize(1);
        assertThat(holder.logText()).doesNotContain("Gave back");
        // the order goes on, on the instances that are left
        await("fulfillment requested by a surviving instance").atMost(Duration.ofSeconds(30)).until(() ->
                postgres.count("SELECT count(*) FROM step WHERE order_id = ?::uuid AND kind = 'FULFILLMENT' AND state = 'SUCCEEDED'", orderId) == 1);
        String fulfillment = (String) postgres.rows("SELECT id::text AS id FROM step WHERE order_id = ?::uuid AND kind = 'FULFILLMENT'", orderId)
                .get(0).get("id");
        assertThat(callsWith(fulfillment)).hasSize(1);
    }

    @Test
    @Order(3)
    void aStepStillInFlightWhenTheDrainEndsIsGivenBackAndTakenAtOnce() {
        // 8 s: longer than the 3 s drain, far shorter than the 30 s lease
        downstreams.stubFor(post(urlPathEqualTo("/credit/credit-checks")).withRequestBody(containing("SLOW-RELEASE")).atPriority(1)
                .willReturn(okJson("{\"decision\":\"APPROVED\",\"reason\":\"very slowly\"}").withFixedDelay(8000)));
        stock(alive().get(0), "W-RELEASE", 10);
        String orderId = placeOn(alive().get(0), "PO-RELEASE", "SLOW-RELEASE", "W-RELEASE");

        StepInFlight step = awaitCreditCheckInFlight(orderId);
        OrderflowProcess holder = holderOf(step);
        Instant terminated = Instant.now();
        holder.terminate();
        holder.awaitExit(Duration.ofSeconds(30));
        assertThat(holder.logText()).contains("Gave back 1 unfinished steps at shutdown");

        await("credit check settled by another instance").atMost(Duration.ofSeconds(25)).until(() ->
                "SUCCEEDED".equals(postgres.rows("SELECT state FROM step WHERE id = ?::uuid", step.id()).get(0).get("state")));
        List<LoggedRequest> calls = callsWith(step.id());
        LoggedRequest retry = calls.stream().max(Comparator.comparing(LoggedRequest::getLoggedDate)).orElseThrow();
        // taken at once: had it waited for the lease, the second call could not come before 30 s after the claim
        assertThat(Duration.between(terminated, retry.getLoggedDate().toInstant())).isLessThan(Duration.ofSeconds(10));
        // the call cut off at shutdown may have reached the system; the retry carries the same key, so it counts once there
        assertThat(calls).hasSizeBetween(1, 2);
    }

    private List<OrderflowProcess> alive() {
        return instances.stream().filter(OrderflowProcess::isAlive).toList();
    }

    private String placeOn(OrderflowProcess instance, String externalRef, String customerId, String warehouse) {
        Api.Answer placed = Api.send(instance, "POST", "/v1/orders", channelToken, order(externalRef, customerId, warehouse),
                Map.of("Idempotency-Key", externalRef));
        assertThat(placed.status()).as("order %s", placed.body()).isEqualTo(201);
        return placed.string("id");
    }

    private record StepInFlight(String id, String owner) {
    }

    /** Waits until the order's credit check has reached the downstream, and answers who holds it. */
    private StepInFlight awaitCreditCheckInFlight(String orderId) {
        await("credit check of " + orderId + " in flight").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> !downstreams.findAll(com.github.tomakehurst.wiremock.client.WireMock
                        .postRequestedFor(urlPathEqualTo("/credit/credit-checks")).withRequestBody(containing(orderId))).isEmpty());
        Map<String, Object> step = postgres.rows("SELECT id::text AS id, state, lease_owner FROM step WHERE order_id = ?::uuid AND kind = 'CREDIT_CHECK'",
                orderId).get(0);
        assertThat(step.get("state")).isEqualTo("RUNNING");
        return new StepInFlight((String) step.get("id"), (String) step.get("lease_owner"));
    }

    private OrderflowProcess holderOf(StepInFlight step) {
        return alive().stream().filter(instance -> instance.worker().equals(step.owner())).findFirst()
                .orElseThrow(() -> new AssertionError("no live instance is worker " + step.owner()));
    }
}
