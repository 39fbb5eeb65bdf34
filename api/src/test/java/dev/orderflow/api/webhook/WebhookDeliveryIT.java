package dev.orderflow.api.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.orderflow.api.support.OrderflowClient.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.standardwebhooks.Webhook;
import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.orderflow.orchestration.webhook.Deliveries;
import dev.orderflow.orchestration.webhook.WebhookDispatcher;
import dev.orderflow.orchestration.webhook.WebhookFanOut;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks to a real HTTP receiver (a partner's endpoint), checked the way a partner checks them:
 * every signature verified with the Standard Webhooks reference library.
 */
class WebhookDeliveryIT extends IntegrationTest {

    private static final WireMockServer RECEIVER = started();

    @Autowired
    WebhookDispatcher dispatcher;

    @Autowired
    WebhookFanOut fanOut;

    @Autowired
    Deliveries deliveries;

    @Autowired
    DatabaseClient db;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    String channel;
    String warehouse;
    String sku;
    OrderFixtures orders;
    WebTestClient partner;

    @BeforeEach
    void partnerAndStock() {
        RECEIVER.resetAll();
        RECEIVER.stubFor(post(urlPathEqualTo("/hooks")).willReturn(aResponse().withStatus(204)));
        channel = unique("shop");
        warehouse = unique("W");
        sku = unique("SKU");
        stock(warehouse, sku, 1_000);
        orders = new OrderFixtures(asAdmin(), as(issueToken("channel", List.of("channel"), List.of(channel))), warehouse);
        partner = as(issueToken("partner", List.of("partner"), List.of(channel)));
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop();
    }

    @Test
    void everyStatusChangeArrivesSignedAndVerifiableWithItsSequence() throws Exception {
        String secret = subscribe("/hooks", List.of("order.*"));
        String id = orders.place(order(unique("PO"), warehouse, sku, 1));

        List<Map<String, Object>> received = awaitDeliveries(id, 2);

        Webhook verifier = new Webhook(secret);
        for (LoggedRequest request : requestsFor(id)) {
            verifier.verify(request.getBodyAsString(), headers(request));
        }
        assertThat(received.get(0)).containsEntry("type", "order.accepted");
        assertThat(data(received.get(0))).containsEntry("orderId", id).containsEntry("channel", channel).containsEntry("sequence", 1);
        assertThat(received.get(1)).containsEntry("type", "order.released");
        assertThat(data(received.get(1))).containsEntry("sequence", 2);
    }

    @Test
    void receiversThatResetTimeOutOrAnswer503GetTheEventLaterWithTheSameWebhookId() {
        failOnceThenRecover("/reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        failOnceThenRecover("/unavailable", aResponse().withStatus(503).withHeader("Retry-After", "1"));
        // longer than the dispatcher waits for an answer (15 s)
        failOnceThenRecover("/timeout", aResponse().withStatus(200).withFixedDelay(16_000));
        List.of("/reset", "/unavailable", "/timeout").forEach(path -> subscribe(path, List.of("order.accepted")));

        String id = orders.place(order(unique("PO"), warehouse, sku, 1));

        for (String path : List.of("/reset", "/unavailable", "/timeout")) {
            await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(requestsFor(path, id)).hasSize(2));
            assertThat(requestsFor(path, id).stream().map(request -> request.getHeader("webhook-id")).distinct()).hasSize(1);
        }
    }

    private static void failOnceThenRecover(String path, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder failure) {
        RECEIVER.stubFor(post(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(failure).willSetStateTo("recovered"));
        RECEIVER.stubFor(post(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200)));
    }

    @Test
    void eventsOfOneOrderArriveInTheOrderTheyHappenedEvenUnderConcurrency() {
        RECEIVER.stubFor(post(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(200).withUniformRandomDelay(0, 60)));
        subscribe("/slow", List.of("order.*"));

        List<String> ids = IntStream.range(0, 12).mapToObj(i -> orders.place(order(unique("PO"), warehouse, sku, 1))).toList();

        for (String id : ids) {
            await().atMost(Duration.ofSeconds(40)).until(() -> requestsFor("/slow", id).size() >= 2);
        }
        for (String id : ids) {
            List<Integer> sequences = requestsFor("/slow", id).stream()
                    .map(request -> (Integer) data(body(request)).get("sequence"))
                    .toList();
            assertThat(sequences).as("order %s", id).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void aPartnerGetsOnlyTheChannelsItIsGranted() {
        partner.post().uri("/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", RECEIVER.baseUrl() + "/hooks", "events", List.of("order.*"), "channels", List.of("someone-else")))
                .exchange()
                .expectStatus().isForbidden();
        subscribe("/hooks", List.of("order.*"));
        String otherWarehouse = unique("W");
        stock(otherWarehouse, sku, 10);
        OrderFixtures stranger = new OrderFixtures(asAdmin(), as(channelToken()), otherWarehouse);

        String theirs = stranger.place(order(unique("PO"), otherWarehouse, sku, 1));
        String mine = orders.place(order(unique("PO"), warehouse, sku, 1));

        awaitDeliveries(mine, 1);
        assertThat(requestsFor(theirs)).isEmpty();
    }

    @Test
    void aDeliveryClaimedByAnInstanceThatDiedIsDeliveredByAnotherWithTheSameWebhookId() {
        subscribe("/hooks", List.of("order.accepted"));
        dispatcher.stop();
        Deliveries.Claimed orphan;
        String id;
        try {
            id = orders.place(order(unique("PO"), warehouse, sku, 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> fanOut.runOnce().block(Duration.ofSeconds(5)) >= 0
                    && !pendingFor(id).isEmpty());
            // another instance claims it with a short lease and dies before sending or recording anything
            orphan = deliveries.claim(100, 100, Duration.ofMillis(500))
                    .filter(claimed -> claimed.delivery().orderId().toString().equals(id))
                    .blockFirst(Duration.ofSeconds(5));
            assertThat(orphan).isNotNull();
        } finally {
            dispatcher.start();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> requestsFor(id).size() == 1);
        assertThat(requestsFor(id).get(0).getHeader("webhook-id")).isEqualTo(orphan.delivery().eventId().toString());
    }

    @Test
    void aSendStillUnansweredWhenTheDrainEndsIsGivenBackAndSentAgainAtOnceWithTheSameWebhookId() {
        // answers after 4 s: longer than the drain below allows
        RECEIVER.stubFor(post(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(204).withFixedDelay(4_000)));
        subscribe("/slow", List.of("order.accepted"));
        String id = orders.place(order(unique("PO"), warehouse, sku, 1));
        await().atMost(Duration.ofSeconds(15)).until(() -> requestsFor("/slow", id).size() == 1);

        try {
            // the instance shuts down while the partner has not answered
            dispatcher.drain(Duration.ofMillis(300)).block(Duration.ofSeconds(10));
            Map<String, Object> given = db.sql("SELECT state, attempts, lease_until IS NULL AS free, next_attempt_at <= now() AS due"
                            + " FROM webhook_delivery WHERE order_id = :order")
                    .bind("order", UUID.fromString(id))
                    .fetch().one().block(Duration.ofSeconds(5));
            // pending, free for any instance now, due now, and the cut-off attempt not counted
            assertThat(given).containsEntry("state", "PENDING").containsEntry("attempts", 0)
                    .containsEntry("free", true).containsEntry("due", true);
        } finally {
            dispatcher.start();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> requestsFor("/slow", id).size() == 2);
        assertThat(requestsFor("/slow", id)).extracting(request -> request.getHeader("webhook-id")).containsOnly(
                requestsFor("/slow", id).get(0).getHeader("webhook-id"));
    }

    private List<UUID> pendingFor(String orderId) {
        return db.sql("SELECT id FROM webhook_delivery WHERE order_id = :order")
                .bind("order", UUID.fromString(orderId))
                .map(row -> row.get(0, UUID.class))
                .all().collectList().block(Duration.ofSeconds(5));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDeliveryLogShowsEachDeliveryAndOneCanBeSentAgainOrAllReplayed() {
        Map<?, ?> created = partner.post().uri("/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", RECEIVER.baseUrl() + "/hooks", "events", List.of("order.accepted"), "channels", List.of(channel)))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        Object subscriptionId = created.get("id");
        java.time.Instant before = java.time.Instant.now();
        String id = orders.place(order(unique("PO"), warehouse, sku, 1));
        awaitDeliveries(id, 1);

        Map<String, Object> log = partner.get().uri("/v1/webhooks/{id}/deliveries", subscriptionId).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> delivery = ((List<Map<String, Object>>) log.get("items")).get(0);
        assertThat(delivery).containsEntry("state", "DELIVERED").containsEntry("lastStatus", 204).containsEntry("orderId", id);

        partner.post().uri("/v1/webhooks/{id}/deliveries/{delivery}/redeliver", subscriptionId, delivery.get("id")).exchange()
                .expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(15)).until(() -> requestsFor(id).size() == 2);

        partner.post().uri("/v1/webhooks/{id}/replay", subscriptionId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("since", before.toString())).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.requeued").isEqualTo(1);
        await().atMost(Duration.ofSeconds(15)).until(() -> requestsFor(id).size() == 3);
        // a time to come is a mistake, even one PostgreSQL could not compare (it was a 500)
        for (String future : List.of(Instant.now().plusSeconds(3600).toString(), "+999999999-12-31T23:59:59Z")) {
            partner.post().uri("/v1/webhooks/{id}/replay", subscriptionId).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("since", future)).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("since");
        }
        // the same event, so the same webhook-id every time: the partner can tell it is a repeat
        assertThat(requestsFor(id).stream().map(request -> request.getHeader("webhook-id")).distinct()).hasSize(1);
        // another partner cannot touch this subscription
        as(issueToken("partner", List.of("partner"), List.of(channel))).get().uri("/v1/webhooks/{id}/deliveries", subscriptionId)
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void duringARotationEachDeliveryIsSignedWithBothSecretsAndEitherVerifiesIt() throws Exception {
        Map<?, ?> created = partner.post().uri("/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", RECEIVER.baseUrl() + "/hooks", "events", List.of("order.accepted"), "channels", List.of(channel)))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String oldSecret = (String) created.get("secret");
        String newSecret = (String) partner.post().uri("/v1/webhooks/{id}/rotate-secret", created.get("id")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("secret");
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);

        String id = orders.place(order(unique("PO"), warehouse, sku, 1));
        awaitDeliveries(id, 1);

        LoggedRequest request = requestsFor(id).get(0);
        assertThat(request.getHeader("webhook-signature").split(" ")).hasSize(2);
        new Webhook(oldSecret).verify(request.getBodyAsString(), headers(request));
        new Webhook(newSecret).verify(request.getBodyAsString(), headers(request));
    }

    @Test
    void aSlowPartnerDoesNotDelayTheOthers() {
        RECEIVER.stubFor(post(urlPathEqualTo("/stuck")).willReturn(aResponse().withStatus(200).withFixedDelay(10_000)));
        subscribe("/stuck", List.of("order.*"));
        subscribe("/hooks", List.of("order.*"));
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> orders.place(order(unique("PO"), warehouse, sku, 1))).toList();

        // the fast partner has every order's first event long before the stuck one could have answered twice
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(8)).until(() -> !requestsFor(id).isEmpty());
        }
    }

    @Test
    void aGoneEndpointDisablesItsSubscription() {
        RECEIVER.stubFor(post(urlPathEqualTo("/gone")).willReturn(aResponse().withStatus(410)));
        Map<?, ?> created = partner.post().uri("/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", RECEIVER.baseUrl() + "/gone", "events", List.of("order.*"), "channels", List.of(channel)))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();

        orders.place(order(unique("PO"), warehouse, sku, 1));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> partner.get().uri("/v1/webhooks/{id}", created.get("id")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.disabledAt").isNotEmpty());
        partner.get().uri("/v1/webhooks/{id}/deliveries", created.get("id")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.lastStatus == 410)]").isNotEmpty();
    }

    private String subscribe(String path, List<String> events) {
        Map<?, ?> created = partner.post().uri("/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", RECEIVER.baseUrl() + path, "events", events, "channels", List.of(channel)))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        String secret = (String) created.get("secret");
        assertThat(secret).startsWith("whsec_");
        return secret;
    }

    private List<Map<String, Object>> awaitDeliveries(String orderId, int atLeast) {
        await().atMost(Duration.ofSeconds(30)).until(() -> requestsFor(orderId).size() >= atLeast);
        return requestsFor(orderId).stream().map(WebhookDeliveryIT::body).toList();
    }

    private static List<LoggedRequest> requestsFor(String orderId) {
        return requestsFor("/hooks", orderId);
    }

    private static List<LoggedRequest> requestsFor(String path, String orderId) {
        List<LoggedRequest> all = new ArrayList<>(RECEIVER.findAll(postRequestedFor(urlPathEqualTo(path))));
        return all.stream().filter(request -> request.getBodyAsString().contains(orderId)).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(LoggedRequest request) {
        return JSON.readValue(request.getBodyAsString(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> body) {
        return (Map<String, Object>) body.get("data");
    }

    private static Map<String, List<String>> headers(LoggedRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            headers.put(name, List.of(request.getHeader(name)));
        }
        return headers;
    }

    private static WireMockServer started() {
        WireMockServer server = new WireMockServer(options().dynamicPort().containerThreads(40));
        server.start();
        return server;
    }
}
