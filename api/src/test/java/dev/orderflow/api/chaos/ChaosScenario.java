package dev.orderflow.api.chaos;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.orderflow.api.scaleout.OrderflowProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

/**
 * Load with faults injected, then the invariants checked (see {@link Checker}). The service runs as
 * its own JVM (so SIGKILL is real); PostgreSQL and Redis are processes this test owns (killed,
 * paused, flushed, restarted on the same port); a {@link ChaosProxy} sits in front of each of them and
 * of the downstream systems (WireMock); a {@link WebhookReceiver} records event ids. Subclasses say
 * how long the faults go on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChaosScenario {

    static final int STOCK_PER_SKU = 600;
    static final Duration GAP = Duration.ofSeconds(5);

    /** A quick engine (retries in a second, short timeouts) so that orders settle soon after a fault heals. */
    static final List<String> SETTINGS = List.of(
            "--orderflow.engine.poll-interval=200ms",
            "--orderflow.engine.backoff-base=200ms",
            "--orderflow.engine.backoff-max=2s",
            "--orderflow.engine.max-attempts=1000",
            "--orderflow.engine.call-timeout=3s",
            "--orderflow.engine.lease=10s",
            "--orderflow.engine.breaker-wait-in-open=2s",
            "--orderflow.workers.drain-timeout=2s",
            "--orderflow.stock-keeping.sweep-interval=1s",
            "--orderflow.stock-keeping.reconcile-interval=2s",
            "--orderflow.metrics.refresh-interval=5s",
            "--spring.r2dbc.pool.max-acquire-time=3s",
            "--spring.r2dbc.pool.max-create-connection-time=3s");

    protected Path dir;
    protected PostgresServer postgres;
    protected RedisServerProcess redis;
    protected WireMockServer downstreams;
    protected WebhookReceiver receiver;
    protected ChaosProxy postgresProxy;
    protected ChaosProxy redisProxy;
    protected ChaosProxy downstreamProxy;
    protected ServiceUnderTest service;
    protected History history;

    /** How long faults are injected under load (then heal, quiet, check). */
    abstract Duration duration();

    @BeforeAll
    void startEverything() throws Exception {
        dir = Path.of("target", "chaos", getClass().getSimpleName()).toAbsolutePath();
        Files.createDirectories(dir);
        postgres = PostgresServer.start(OrderflowProcess.freePort(), dir.resolve("postgres.log"));
        redis = RedisServerProcess.start(OrderflowProcess.freePort(), dir.resolve("redis.log"));
        downstreams = new WireMockServer(options().dynamicPort().containerThreads(32).asynchronousResponseEnabled(true)
                .globalTemplating(false).disableRequestJournal());
        downstreams.start();
        healthyDownstreams();
        receiver = WebhookReceiver.start();
        postgresProxy = ChaosProxy.start("postgres", postgres.port());
        redisProxy = ChaosProxy.start("redis", redis.port());
        downstreamProxy = ChaosProxy.start("downstreams", downstreams.port());

        Map<String, String> environment = OrderflowProcess.environment(PostgresServer.url(postgresProxy.port()),
                RedisServerProcess.url(redisProxy.port()), "http://127.0.0.1:" + downstreamProxy.port());
        environment.put("ORDERFLOW_WEBHOOKS_ALLOW_PRIVATE", "true");
        service = new ServiceUnderTest(environment, SETTINGS);
        service.start();
        history = new History(dir.resolve("history.tsv"));
    }

    @AfterAll
    void stopEverything() {
        for (AutoCloseable closeable : new AutoCloseable[] {history, service, downstreamProxy, redisProxy, postgresProxy, receiver,
                downstreams == null ? null : (AutoCloseable) downstreams::stop, redis, postgres}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // the rest still has to stop
            }
        }
    }

    @Test
    void underFaultsNoOrderIsLostDuplicatedOrOversoldAndEverythingSettles() {
        Admin admin = new Admin(service);
        String channelToken = admin.issue("chaos-shop", "channel", List.of("channel"));
        String warehouseToken = admin.issue("chaos-warehouse", "user", List.of("warehouse"));
        admin.subscribe(receiver.url());
        Load.SKUS.forEach(sku -> admin.count(sku, STOCK_PER_SKU));

        Load load = new Load(service::baseUri, channelToken, warehouseToken, history);
        List<Thread> clients = load.start(4, Duration.ofMillis(20));
        List<Fault.Injected> injected;
        try {
            injected = new FaultSchedule(schedule(), GAP, postgres).run(duration());
        } finally {
            load.stop();
            clients.forEach(ChaosScenario::join);
        }

        Checker checker = new Checker(postgres, redis, receiver, history.entries());
        List<Checker.Verdict> verdicts = checker.check(Duration.ofSeconds(120));
        // Redis behind PostgreSQL after a crash between a commit and its Redis update: safe, and repaired
        checker.numbers().put("reconciler repairs", (long) service.logLines("seen twice: rebuilding Redis").size());
        ChaosReport report = new ChaosReport(duration(), history.entries(), injected, verdicts, checker.numbers());
        report.write(dir.resolve("report.md"));
        System.out.println(report.text());
        assertThat(history.entries().stream().filter(History.Entry::succeeded).count()).as("orders accepted at all").isPositive();
        assertThat(verdicts).as(report.text()).allSatisfy(verdict -> assertThat(verdict.violations()).as(verdict.invariant()).isZero());
    }

    /** One round of faults; the schedule repeats it until the duration is used up. */
    List<Fault> schedule() {
        List<Fault> faults = new ArrayList<>();
        faults.add(new Fault("service SIGKILL + restart", Duration.ofSeconds(1), service::kill, service::start));
        faults.add(new Fault("Redis FLUSHALL", Duration.ZERO, redis::flushAll, () -> { }));
        faults.add(new Fault("Redis paused (SIGSTOP 5 s)", Duration.ofSeconds(5), redis::pause, redis::resume));
        faults.add(new Fault("PostgreSQL SIGKILL + restart", Duration.ofSeconds(6), postgres::kill, postgres::restart));
        faults.add(new Fault("Redis SIGKILL + restart", Duration.ofSeconds(4), redis::kill, redis::restart));
        faults.add(new Fault("proxy: PostgreSQL +150 ms latency", Duration.ofSeconds(6), () -> postgresProxy.latency(150), postgresProxy::heal));
        faults.add(new Fault("proxy: PostgreSQL blackhole 4 s", Duration.ofSeconds(4), postgresProxy::blackhole, postgresProxy::heal));
        faults.add(new Fault("service SIGKILL + restart", Duration.ofSeconds(1), service::kill, service::start));
        faults.add(new Fault("proxy: Redis resets 4 s", Duration.ofSeconds(4), redisProxy::reset, redisProxy::heal));
        faults.add(new Fault("proxy: Redis blackhole 3 s", Duration.ofSeconds(3), redisProxy::blackhole, redisProxy::heal));
        faults.add(new Fault("proxy: PostgreSQL resets 3 s", Duration.ofSeconds(3), postgresProxy::reset, postgresProxy::heal));
        faults.add(new Fault("downstreams 503 (6 s)", Duration.ofSeconds(6), this::downstreamsFail, this::healthyDownstreams,
                Fault.Recovery.ENGINE));
        faults.add(new Fault("proxy: downstreams blackhole 5 s", Duration.ofSeconds(5), downstreamProxy::blackhole, downstreamProxy::heal,
                Fault.Recovery.ENGINE));
        faults.add(new Fault("proxy: downstreams resets 4 s", Duration.ofSeconds(4), downstreamProxy::reset, downstreamProxy::heal,
                Fault.Recovery.ENGINE));
        faults.add(new Fault("proxy: downstreams +300 ms latency", Duration.ofSeconds(6), () -> downstreamProxy.latency(300),
                downstreamProxy::heal, Fault.Recovery.ENGINE));
        faults.add(new Fault("webhook receiver down 3 s", Duration.ofSeconds(3), receiver::down, receiver::up, Fault.Recovery.WEBHOOKS));
        return faults;
    }

    private void downstreamsFail() {
        downstreams.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(503)));
    }

    private void healthyDownstreams() {
        List<StubMapping> failing = downstreams.getStubMappings().stream().filter(stub -> Integer.valueOf(1).equals(stub.getPriority()))
                .toList();
        failing.forEach(downstreams::removeStub);
        if (!downstreams.getStubMappings().isEmpty()) {
            return;
        }
        downstreams.stubFor(post(urlPathEqualTo("/credit/credit-checks"))
                .willReturn(okJson("{\"decision\":\"APPROVED\",\"reason\":\"within limit\"}")));
        downstreams.stubFor(post(urlPathEqualTo("/fulfillment/fulfillment-requests"))
                .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json").withBody("{\"requestId\":\"REQ-1\"}")));
        downstreams.stubFor(post(urlMatching("/fulfillment/fulfillment-requests/.*/cancel")).willReturn(okJson("{\"cancelled\":true}")));
        downstreams.stubFor(post(urlPathEqualTo("/invoicing/invoices"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"invoiceId\":\"INV-1\"}")));
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The admin calls that set the scene. */
    static final class Admin {

        private static final JsonMapper JSON = JsonMapper.builder().build();
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        private final ServiceUnderTest service;

        Admin(ServiceUnderTest service) {
            this.service = service;
        }

        String issue(String name, String kind, List<String> roles) {
            return (String) send("POST", "/v1/admin/principals", Map.of("name", name, "kind", kind, "roles", roles,
                    "channels", List.of("chaos")), 201).get("token");
        }

        void subscribe(String url) {
            send("POST", "/v1/webhooks", Map.of("url", url, "events", List.of("order.*"), "channels", List.of("chaos")), 201);
        }

        void count(String sku, int onHand) {
            send("PUT", "/v1/inventory/" + Load.WAREHOUSE + "/" + sku, Map.of("onHand", onHand, "reason", "CYCLE_COUNT"), 200);
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> send(String method, String path, Map<String, Object> body, int expected) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(service.baseUri().resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + OrderflowProcess.ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
                return JSON.readValue(response.body(), Map.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
