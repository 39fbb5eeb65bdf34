package dev.orderflow.perf;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.UUID;

/**
 * The latency of one order on an idle service: one client posting orders one after another (3
 * lines, 3 SKUs, stock for all), so every figure is a full reserve-and-commit with nothing queued.
 * Run with {@code -DbaseUrl=... -DadminKey=... -Dorders=1000}.
 */
public class SingleOrderLatencySimulation extends Simulation {

    private static final String BASE_URL = System.getProperty("baseUrl", "http://localhost:8080");
    private static final String ADMIN_KEY = System.getProperty("adminKey", "");
    private static final int ORDERS = Integer.getInteger("orders", 1000);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String WAREHOUSE = "PERF-" + RUN;

    private String token;

    @Override
    public void before() {
        Setup setup = new Setup(BASE_URL, ADMIN_KEY);
        token = setup.channelToken("perf-" + RUN);
        for (int sku = 1; sku <= 3; sku++) {
            setup.stock(WAREHOUSE, "SKU-" + sku, 1_000_000);
        }
    }

    private final HttpProtocolBuilder protocol = http.baseUrl(BASE_URL)
            .contentTypeHeader("application/json")
            .acceptHeader("application/json");

    private final ScenarioBuilder sequentialOrders = scenario("one order after another")
            .exec(repeat(ORDERS, "n").on(http("POST /v1/orders")
                    .post("/v1/orders")
                    .header("Authorization", session -> "Bearer " + token)
                    .header("Idempotency-Key", session -> RUN + "-" + session.getInt("n"))
                    .body(StringBody(session -> order(session.getInt("n"))))
                    .check(status().is(201))));

    {
        setUp(sequentialOrders.injectOpen(atOnceUsers(1)))
                .protocols(protocol)
                .assertions(global().failedRequests().count().is(0L));
    }

    private static String order(int n) {
        return "{\"externalRef\":\"" + RUN + "-" + n + "\",\"customerId\":\"C-1\",\"currency\":\"USD\",\"warehouse\":\"" + WAREHOUSE
                + "\",\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":1,\"unitPrice\":\"10.00\"},"
                + "{\"sku\":\"SKU-2\",\"quantity\":2,\"unitPrice\":\"5.50\"},"
                + "{\"sku\":\"SKU-3\",\"quantity\":3,\"unitPrice\":\"1.25\"}]}";
    }
}
