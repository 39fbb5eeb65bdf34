package dev.orderflow.perf;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds the engine: orders arrive at a constant rate (open model) into a fresh warehouse, 2 lines
 * each, invoiced on shipment. What the engine then does with them (credit, release, fulfillment,
 * shipment, invoice, completion) is measured from the orders' events afterwards by
 * {@code lifecycle-report.sql}; see {@code lifecycle-benchmark.sh}. Run with {@code -Drate=... -Dseconds=...}.
 */
public class LifecycleSimulation extends Simulation {

    private static final String BASE_URL = System.getProperty("baseUrl", "http://localhost:8080");
    private static final String ADMIN_KEY = System.getProperty("adminKey", "");
    private static final double RATE = Double.parseDouble(System.getProperty("rate", "50"));
    private static final int SECONDS = Integer.getInteger("seconds", 60);
    private static final String WAREHOUSE = System.getProperty("warehouse", "LC-" + UUID.randomUUID().toString().substring(0, 8));
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private String token;

    @Override
    public void before() {
        Setup setup = new Setup(BASE_URL, ADMIN_KEY);
        token = setup.channelToken("lifecycle-" + WAREHOUSE);
        setup.stock(WAREHOUSE, "SKU-A", 10_000_000);
        setup.stock(WAREHOUSE, "SKU-B", 10_000_000);
    }

    private final HttpProtocolBuilder protocol = http.baseUrl(BASE_URL)
            .contentTypeHeader("application/json")
            .acceptHeader("application/json");

    private final ScenarioBuilder intake = scenario("orders into the engine")
            .exec(session -> session.set("n", SEQUENCE.incrementAndGet()))
            .exec(http("POST /v1/orders")
                    .post("/v1/orders")
                    .header("Authorization", session -> "Bearer " + token)
                    .header("Idempotency-Key", session -> WAREHOUSE + "-" + session.getLong("n"))
                    .body(StringBody(session -> order(session.getLong("n"))))
                    .check(status().is(201)));

    {
        setUp(intake.injectOpen(constantUsersPerSec(RATE).during(SECONDS)))
                .protocols(protocol)
                .assertions(global().failedRequests().count().is(0L));
    }

    private static String order(long n) {
        return "{\"externalRef\":\"" + WAREHOUSE + "-" + n + "\",\"customerId\":\"C-1\",\"currency\":\"USD\",\"warehouse\":\""
                + WAREHOUSE + "\",\"lines\":[{\"sku\":\"SKU-A\",\"quantity\":1,\"unitPrice\":\"10.00\"},"
                + "{\"sku\":\"SKU-B\",\"quantity\":2,\"unitPrice\":\"5.50\"}]}";
    }
}
