package dev.orderflow.api.scaleout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Several Orderflow instances, each the packaged jar in a JVM of its own, against one PostgreSQL,
 * one Redis (a server or a cluster, per subclass) and one set of downstream systems (WireMock),
 * under concurrent load spread over every instance. What scale-out must not break: no unit
 * oversold, one order per idempotency key whichever instances the retries reach, every step run
 * once, and every event on every instance's live stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ScaleOutScenario {

    static final String SKU = "SKU-1";
    static final int STOCK_PER_WAREHOUSE = 40;
    static final int ORDERS_PER_WAREHOUSE = 80;

    /** An engine that retries in seconds, a lease far longer than any call, a short drain at shutdown. */
    static final List<String> SETTINGS = List.of(
            "--orderflow.engine.poll-interval=200ms",
            "--orderflow.engine.backoff-base=200ms",
            "--orderflow.engine.backoff-max=1s",
            "--orderflow.engine.call-timeout=10s",
            "--orderflow.engine.lease=30s",
            "--orderflow.workers.drain-timeout=3s",
            "--orderflow.stock-keeping.reconcile-interval=1s",
            "--orderflow.metrics.refresh-interval=1s");

    protected WireMockServer downstreams;
    protected SharedPostgres postgres;
    protected LocalRedis redis;
    protected List<OrderflowProcess> instances;
    protected String channelToken;

    /** The Redis the instances share. */
    abstract LocalRedis startRedis();

    abstract int instanceCount();

    /** Three warehouses; on a cluster, one per master, so the load crosses every node. */
    abstract List<String> warehouses();

    @BeforeAll
    void startEverything() {
        downstreams = new WireMockServer(options().dynamicPort().containerThreads(64).asynchronousResponseEnabled(true)
                .globalTemplating(false));
        downstreams.start();
        healthyDownstreams();
        postgres = SharedPostgres.start();
        redis = startRedis();
        Map<String, String> environment = OrderflowProcess.environment(postgres.url(), redis.url(), downstreams.baseUrl());
        instances = IntStream.range(0, instanceCount())
                .mapToObj(i -> OrderflowProcess.start(getClass().getSimpleName() + "-" + (char) ('a' + i), environment, SETTINGS))
                .toList();
        instances.forEach(OrderflowProcess::awaitReady);
        channelToken = issue(instances.get(0), "channel", List.of("channel"), List.of("shop-scale"));
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (instances != null) {
            instances.forEach(OrderflowProcess::terminate);
            instances.forEach(OrderflowProcess::close);
        }
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (downstreams != null) {
            downstreams.stop();
        }
    }

    @Test
    @Order(1)
    void concurrentOrdersOnEveryInstanceOversellNothingAndRunEachStepOnce() {
        List<String> warehouses = warehouses();
        warehouses.forEach(warehouse -> stock(instances.get(0), warehouse, STOCK_PER_WAREHOUSE));
        List<Api.EventStream> streams = instances.stream()
                .map(instance -> new Api.EventStream(instance, OrderflowProcess.ADMIN_KEY))
                .toList();
        await("every live stream open").atMost(Duration.ofSeconds(10)).until(() -> streams.stream().allMatch(Api.EventStream::connected));

        // each idempotency key is sent twice at once, to two different instances
        int orders = ORDERS_PER_WAREHOUSE * warehouses.size();
        Map<String, List<Api.Answer>> answersByKey = placeTwiceEach(orders, warehouses);

        answersByKey.forEach((key, answers) -> {
            assertThat(answers).as("answers to key %s", key).extracting(Api.Answer::status).allMatch(status -> status == 201 || status == 409);
            assertThat(answers).as("answers to key %s", key).filteredOn(answer -> answer.status() == 201).isNotEmpty()
                    .extracting(answer -> answer.string("id")).containsOnly(answers.stream()
                            .filter(answer -> answer.status() == 201).findFirst().orElseThrow().string("id"));
        });
        Set<String> orderIds = answersByKey.values().stream().flatMap(List::stream).filter(answer -> answer.status() == 201)
                .map(answer -> answer.string("id")).collect(Collectors.toSet());
        assertThat(orderIds).as("one order per key").hasSize(orders);
        assertThat(postgres.count("SELECT count(*) FROM orders")).isEqualTo(orders);

        // no oversell: exactly the stock was reserved per warehouse, the rest is backordered
        for (String warehouse : warehouses) {
            assertThat(postgres.count("SELECT coalesce(sum(l.reserved + l.shipped), 0) FROM order_line l WHERE l.warehouse = ?", warehouse))
                    .as("units reserved at %s", warehouse).isEqualTo(STOCK_PER_WAREHOUSE);
            assertThat(postgres.count("SELECT coalesce(sum(backordered), 0) FROM order_line WHERE warehouse = ?", warehouse))
                    .as("units backordered at %s", warehouse).isEqualTo(ORDERS_PER_WAREHOUSE - STOCK_PER_WAREHOUSE);
            assertThat(redis.available(warehouse, SKU)).as("Redis available at %s", warehouse).isEqualTo("0");
        }

        // every step ran, each exactly once, and the work was spread over the instances
        await("every step settled").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> postgres.count("SELECT count(*) FROM step WHERE state IN ('PENDING', 'RUNNING')") == 0);
        assertThat(postgres.count("SELECT count(*) FROM step WHERE state = 'FAILED'")).isZero();
        Set<String> succeeded = postgres.rows("SELECT id::text AS id FROM step WHERE state = 'SUCCEEDED'").stream()
                .map(row -> (String) row.get("id")).collect(Collectors.toSet());
        assertThat(succeeded).hasSizeGreaterThanOrEqualTo(STOCK_PER_WAREHOUSE * warehouses.size());
        Map<String, Long> callsPerKey = callsPerIdempotencyKey();
        assertThat(callsPerKey).as("downstream calls per Idempotency-Key").allSatisfy((key, calls) -> assertThat(calls).as(key).isEqualTo(1L));
        assertThat(callsPerKey.keySet()).isEqualTo(succeeded);
        for (OrderflowProcess instance : instances) {
            assertThat(Api.sample(Api.metrics(instance), "orderflow_steps_total", "outcome=\"succeeded\""))
                    .as("steps run by %s", instance.name()).isPositive();
        }

        // every event, committed on whichever instance, reached the live stream of every instance once
        Set<String> events = postgres.rows("SELECT id::text AS id FROM order_event").stream()
                .map(row -> (String) row.get("id")).collect(Collectors.toSet());
        for (int i = 0; i < streams.size(); i++) {
            Api.EventStream stream = streams.get(i);
            await("events on " + instances.get(i).name()).atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(new HashSet<>(stream.ids())).isEqualTo(events));
            assertThat(stream.ids()).doesNotHaveDuplicates();
            stream.close();
        }

        // Redis and PostgreSQL agree on every instance's reconciler
        for (OrderflowProcess instance : instances) {
            await("no drift seen by " + instance.name()).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                String metrics = Api.metrics(instance);
                for (String warehouse : warehouses) {
                    assertThat(metrics).contains("orderflow_stock_drift_units{application=\"orderflow\",warehouse=\"" + warehouse + "\"}");
                    assertThat(Api.sample(metrics, "orderflow_stock_drift_units", "warehouse=\"" + warehouse + "\"")).isZero();
                }
            });
        }
    }

    private Map<String, List<Api.Answer>> placeTwiceEach(int orders, List<String> warehouses) {
        Map<String, List<CompletableFuture<Api.Answer>>> pending = new LinkedHashMap<>();
        int window = 20;
        Map<String, List<Api.Answer>> answers = new LinkedHashMap<>();
        for (int start = 0; start < orders; start += window) {
            pending.clear();
            for (int n = start; n < Math.min(orders, start + window); n++) {
                String key = "key-" + n;
                Map<String, Object> body = order("PO-" + n, "C-" + n, warehouses.get(n % warehouses.size()));
                List<CompletableFuture<Api.Answer>> twice = new ArrayList<>();
                for (int copy = 0; copy < 2; copy++) {
                    OrderflowProcess instance = instances.get((n + copy) % instances.size());
                    twice.add(placeRetrying(instance, body, key, 8));
                }
                pending.put(key, twice);
            }
            pending.forEach((key, futures) -> answers.put(key, futures.stream().map(CompletableFuture::join).toList()));
        }
        return answers;
    }

    /**
     * Posts an order as a well-behaved client does: a 503 (Redis or PostgreSQL busy, stock being
     * loaded by another instance) leaves nothing behind and is retried with the same key.
     */
    private CompletableFuture<Api.Answer> placeRetrying(OrderflowProcess instance, Map<String, Object> body, String key, int retries) {
        return Api.sendAsync(instance, "POST", "/v1/orders", channelToken, body, Map.of("Idempotency-Key", key))
                .thenCompose(answer -> answer.status() != 503 || retries == 0 ? CompletableFuture.completedFuture(answer)
                        : CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS))
                                .thenCompose(ignored -> placeRetrying(instance, body, key, retries - 1)));
    }

    static Map<String, Object> order(String externalRef, String customerId, String warehouse) {
        return Map.of("externalRef", externalRef, "customerId", customerId, "currency", "USD", "warehouse", warehouse,
                "lines", List.of(Map.of("sku", SKU, "quantity", 1, "unitPrice", "10.00")));
    }

    /** Every call the downstream systems received, counted per Idempotency-Key. */
    Map<String, Long> callsPerIdempotencyKey() {
        return downstreams.findAll(anyRequestedFor(anyUrl())).stream()
                .map(request -> request.getHeader("Idempotency-Key"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    List<LoggedRequest> callsWith(String idempotencyKey) {
        return downstreams.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(request -> idempotencyKey.equals(request.getHeader("Idempotency-Key")))
                .toList();
    }

    void healthyDownstreams() {
        downstreams.stubFor(post(urlPathEqualTo("/credit/credit-checks"))
                .willReturn(okJson("{\"decision\":\"APPROVED\",\"reason\":\"within limit\"}")));
        downstreams.stubFor(post(urlPathEqualTo("/fulfillment/fulfillment-requests"))
                .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
                        .withBody("{\"requestId\":\"REQ-1\"}")));
        downstreams.stubFor(post(urlMatching("/fulfillment/fulfillment-requests/.*/cancel"))
                .willReturn(okJson("{\"cancelled\":true}")));
        downstreams.stubFor(post(urlPathEqualTo("/invoicing/invoices"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"invoiceId\":\"INV-1\"}")));
    }

    static void stock(OrderflowProcess instance, String warehouse, int onHand) {
        Api.Answer answer = Api.send(instance, "PUT", "/v1/inventory/" + warehouse + "/" + SKU, OrderflowProcess.ADMIN_KEY,
                Map.of("onHand", onHand, "reason", "CYCLE_COUNT"), Map.of());
        assertThat(answer.status()).as("stock count %s", answer.body()).isEqualTo(200);
    }

    static String issue(OrderflowProcess instance, String kind, List<String> roles, List<String> channels) {
        Api.Answer issued = Api.post(instance, "/v1/admin/principals", OrderflowProcess.ADMIN_KEY,
                Map.of("name", kind + "-" + System.nanoTime(), "kind", kind, "roles", roles, "channels", channels));
        assertThat(issued.status()).as("issue %s", issued.body()).isEqualTo(201);
        return issued.string("token");
    }
}
