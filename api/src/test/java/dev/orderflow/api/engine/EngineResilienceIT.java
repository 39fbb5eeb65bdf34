package dev.orderflow.api.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.orderflow.api.support.OrderflowClient.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.orderflow.api.support.Downstreams;
import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderFixtures;
import dev.orderflow.orchestration.order.OrderLifecycle;
import dev.orderflow.orchestration.step.Downstream;
import dev.orderflow.orchestration.step.DownstreamClient;
import dev.orderflow.orchestration.step.EngineSettings;
import dev.orderflow.orchestration.step.Step;
import dev.orderflow.orchestration.step.StepEngine;
import dev.orderflow.orchestration.step.StepQueue;
import dev.orderflow.orchestration.step.StepState;
import dev.orderflow.orchestration.step.Steps;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;

import java.util.List;
import java.util.Map;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;

/** The engine under downstream outages, several workers, and a worker that dies mid-step. */
class EngineResilienceIT extends IntegrationTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    TransactionalOperator tx;

    @Autowired
    Steps steps;

    @Autowired
    DownstreamClient downstreamClient;

    @Autowired
    OrderLifecycle lifecycle;

    @Autowired
    StepEngine engine;

    @Autowired
    Clock clock;

    @Autowired
    dev.orderflow.api.config.OrderflowProperties properties;

    WireMockServer downstreams = Downstreams.server();
    String warehouse;
    String sku;
    OrderFixtures orders;

    @BeforeEach
    void stockAWarehouse() {
        Downstreams.healthy();
        warehouse = unique("W");
        sku = unique("SKU");
        orders = new OrderFixtures(asAdmin(), as(channelToken()), warehouse);
        stock(warehouse, sku, 1_000);
    }

    @AfterEach
    void healthyAgain() {
        Downstreams.healthy();
    }

    @Test
    void aFulfillmentOutageParksOrdersUntilRecoveryThenSendsEachExactlyOnce() {
        downstreams.stubFor(post(urlPathEqualTo("/fulfillment/fulfillment-requests"))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));
        CircuitBreaker breaker = downstreamClient.breaker(Downstream.FULFILLMENT);
        AtomicBoolean opened = new AtomicBoolean();
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                opened.set(true);
            }
        });

        List<String> ids = IntStream.range(0, 100).mapToObj(i -> orders.place(order(unique("PO"), warehouse, sku, 1))).toList();

        await().atMost(Duration.ofSeconds(30)).untilTrue(opened);
        ids.forEach(id -> orders.awaitStatus(id, "RELEASED"));
        int attemptsDuringOutage = fulfillmentRequests().size();
        // parked, not hammered: far fewer calls than orders x attempts
        assertThat(attemptsDuringOutage).isLessThan(100);
        assertThat(ids).allSatisfy(id -> assertThat(orders.status(id)).isEqualTo("RELEASED"));

        Downstreams.healthy();
        ids.forEach(id -> orders.waitUntil(id, order -> fulfillmentStepSucceeded(order)));

        Map<String, Long> acceptedPerOrder = fulfillmentRequests().stream()
                .filter(request -> ids.stream().anyMatch(id -> request.getBodyAsString().contains(id)))
                .filter(request -> downstreams.getAllServeEvents().stream().anyMatch(event -> event.getRequest().getId()
                        .equals(request.getId()) && event.getResponse().getStatus() == 202))
                .collect(Collectors.groupingBy(request -> request.getHeader("Idempotency-Key"), Collectors.counting()));
        assertThat(acceptedPerOrder).hasSize(100).allSatisfy((key, count) -> assertThat(count).isEqualTo(1L));
        assertThat(ids).noneSatisfy(id -> assertThat(orders.status(id)).isEqualTo("EXCEPTION"));
    }

    @Test
    void twoEnginesOnOneDatabaseNeverRunAStepTwice() {
        StepEngine second = secondEngine("second-engine");
        second.start();
        try {
            List<String> ids = IntStream.range(0, 60).mapToObj(i -> orders.place(order(unique("PO"), warehouse, sku, 1))).toList();
            ids.forEach(id -> orders.waitUntil(id, order -> fulfillmentStepSucceeded(order)));

            Map<String, Long> creditCalls = downstreams.findAll(com.github.tomakehurst.wiremock.client.WireMock
                            .postRequestedFor(urlPathEqualTo("/credit/credit-checks"))).stream()
                    .filter(request -> ids.stream().anyMatch(id -> request.getBodyAsString().contains(id)))
                    .collect(Collectors.groupingBy(request -> request.getHeader("Idempotency-Key"), Collectors.counting()));
            assertThat(creditCalls).hasSize(60).allSatisfy((key, count) -> assertThat(count).isEqualTo(1L));
            Map<String, Long> fulfillmentCalls = fulfillmentRequests().stream()
                    .filter(request -> ids.stream().anyMatch(id -> request.getBodyAsString().contains(id)))
                    .collect(Collectors.groupingBy(request -> request.getHeader("Idempotency-Key"), Collectors.counting()));
            assertThat(fulfillmentCalls).hasSize(60).allSatisfy((key, count) -> assertThat(count).isEqualTo(1L));
        } finally {
            second.stop();
        }
    }

    @Test
    void aStepWhoseWorkerDiedIsFinishedByAnotherAndTheDeadWorkersLateAnswerIsRefused() {
        engine.stop();
        String id;
        Step held;
        try {
            id = orders.place(order(unique("PO"), warehouse, sku, 1));
            UUID orderId = UUID.fromString(id);
            Step pending = steps.forOrder(orderId).blockFirst(Duration.ofSeconds(5));
            // worker "dead-worker" claims the credit check with a short lease, then dies without a word
            held = steps.claim("dead-worker", List.of(pending.id()), Duration.ofMillis(500)).blockFirst(Duration.ofSeconds(5));
            assertThat(held).isNotNull();
        } finally {
            engine.start();
        }

        orders.awaitStatus(id, "RELEASED");

        Boolean lateAnswerTaken = steps.settle(held, "dead-worker", StepState.SUCCEEDED, null, null, null).block(Duration.ofSeconds(5));
        assertThat(lateAnswerTaken).isFalse();
        Step creditCheck = steps.forOrder(held.orderId()).filter(step -> step.id().equals(held.id())).blockFirst(Duration.ofSeconds(5));
        assertThat(creditCheck.state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(creditCheck.attempts()).isEqualTo(2);
    }

    private StepEngine secondEngine(String owner) {
        EngineSettings settings = properties.engine().settings();
        Function<Downstream, java.net.URI> urls = downstream -> java.net.URI.create(Downstreams.baseUrl(downstream.code()));
        DownstreamClient client = new DownstreamClient(WebClient.create(), urls, settings);
        return new StepEngine(owner, steps, client, lifecycle, new StepQueue(), tx, settings, clock);
    }

    private List<LoggedRequest> fulfillmentRequests() {
        return downstreams.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(urlPathEqualTo("/fulfillment/fulfillment-requests")));
    }

    @SuppressWarnings("unchecked")
    private static boolean fulfillmentStepSucceeded(Map<String, Object> order) {
        return ((List<Map<String, Object>>) order.getOrDefault("steps", List.of())).stream()
                .anyMatch(step -> "FULFILLMENT".equals(step.get("kind")) && "SUCCEEDED".equals(step.get("state")));
    }

}
