package dev.orderflow.api.ratelimit;

import static dev.orderflow.api.support.OrderflowClient.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderflowClient;
import dev.orderflow.api.support.SecondInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Rate limits over real HTTP, with a limit low enough to reach on a busy machine: 10 requests a
 * second per principal (leases of one token; RateLimiterTest covers chunks). The budget is in Redis, so a second instance on the same Redis shares it.
 */
@TestPropertySource(properties = {"orderflow.rate-limit=" + RateLimitIT.RATE,
        // a context of its own: only the shared test context may run workers
        "orderflow.workers.enabled=false"})
class RateLimitIT extends IntegrationTest {

    static final int RATE = 10;
    private static final int CHUNK = Math.max(1, RATE / 10);
    private static final int CONCURRENCY = 32;
    private static final String PATH = "/v1/inventory/availability?sku=NONE";
    private static SecondInstance second;

    @Autowired
    DatabaseClient db;

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aPrincipalOverItsLimitGets429WithRetryAfterAndRateLimitHeaders() {
        String token = channelToken();
        EntityExchangeResult<byte[]> first = as(token).get().uri(PATH).exchange().expectBody().returnResult();

        Answer refused = untilRefused(token);

        assertThat(first.getStatus().value()).isEqualTo(200);
        assertThat(first.getResponseHeaders().getFirst("RateLimit-Policy")).isEqualTo("\"per-principal\";q=" + RATE + ";w=1");
        assertThat(first.getResponseHeaders().getFirst("RateLimit")).matches("\"per-principal\";r=\\d+;t=[01]");
        assertThat(refused.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(refused.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(refused.headers().getFirst("RateLimit-Policy")).isEqualTo("\"per-principal\";q=" + RATE + ";w=1");
        assertThat(refused.headers().getFirst("RateLimit")).isEqualTo("\"per-principal\";r=0;t=1");
        assertThat(refused.body())
                .contains("\"status\":429")
                .contains("\"type\":\"https://orderflow.dev/problems/rate-limited\"");
    }

    @Test
    void itLetsThroughNoMoreThanTheBurstAndTheRefillSinceTheStart() {
        WebClient client = client(port, channelToken());

        long started = System.nanoTime();
        List<Integer> statuses = statuses(Flux.range(0, 3 * RATE).map(i -> client));
        double seconds = (System.nanoTime() - started) / 1e9;

        long allowed = statuses.stream().filter(status -> status == 200).count();
        assertThat(statuses).containsOnly(200, 429);
        assertThat(allowed).isLessThanOrEqualTo((long) (RATE + RATE * seconds) + CHUNK).isGreaterThanOrEqualTo(RATE);
    }

    @Test
    void anotherPrincipalIsUnaffected() {
        untilRefused(channelToken());

        as(channelToken()).get().uri(PATH).exchange().expectStatus().isOk();
    }

    @Test
    void theBudgetRefills() {
        String token = channelToken();
        WebTestClient client = as(token);
        untilRefused(token);

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.get().uri(PATH).exchange().returnResult(byte[].class).getStatus().value() == 200);
    }

    @Test
    void aRefusedOrderLeavesNothingBehind() {
        String warehouse = unique("W");
        stock(warehouse, "SKU-1", 1000);
        String token = channelToken();
        WebClient client = client(port, token);
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < 2 * RATE; i++) {
            refs.add(unique("PO"));
        }

        // orders posted while cheap reads keep the principal's budget spent
        untilRefused(token);
        Flux<Map.Entry<String, Integer>> orders = Flux.fromIterable(refs)
                .flatMap(ref -> OrderflowClient.postReactive(client, token, "key-" + ref, order(ref, warehouse, "SKU-1", 1))
                        .map(answer -> Map.entry(ref, answer.status())), CONCURRENCY);
        Flux<Map.Entry<String, Integer>> reads = Flux.range(0, 5 * RATE)
                .flatMap(i -> client.get().uri(PATH).exchangeToMono(response -> response.releaseBody().thenReturn(0)), CONCURRENCY)
                .thenMany(Flux.empty());
        Map<String, Integer> statusByRef = Flux.merge(orders, reads).collectMap(Map.Entry::getKey, Map.Entry::getValue).block();

        // how many slip in between the reads depends on timing (on a fast service, none): what counts
        // is that each order is either made or refused, and a refused one leaves nothing
        assertThat(statusByRef.values()).isSubsetOf(201, 429).contains(429);
        List<String> refused = statusByRef.entrySet().stream().filter(entry -> entry.getValue() == 429).map(Map.Entry::getKey).toList();
        List<String> accepted = statusByRef.entrySet().stream().filter(entry -> entry.getValue() == 201).map(Map.Entry::getKey).toList();
        // read in PostgreSQL: through the API, the reads would spend budgets this test is about
        assertThat(storedOrders(refused)).isZero();
        assertThat(storedOrders(accepted)).isEqualTo(accepted.size());
        // and its key is free: the same key and body now make the order, not a replay of the 429
        String again = refused.get(0);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(OrderflowClient.post(as(token), "key-" + again, order(again, warehouse, "SKU-1", 1)).getStatus().value())
                        .isEqualTo(201));
    }

    @Test
    void healthAndDocsAreNeverLimited() {
        String token = channelToken();
        WebTestClient client = as(token);
        untilRefused(token);

        for (int i = 0; i < 2 * RATE; i++) {
            client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk()
                    .expectHeader().doesNotExist("RateLimit");
        }
    }

    @Test
    void twoInstancesShareOneBudget() {
        String token = channelToken();
        WebClient onThis = client(port, token);
        WebClient onTheOther = client(second().port(), token);
        // the other instance has the same limit
        second().as(token).get().uri(PATH).exchange()
                .expectHeader().valueEquals("RateLimit-Policy", "\"per-principal\";q=" + RATE + ";w=1");

        // both instances, alternately, as fast as this machine goes, for a couple of seconds
        long started = System.nanoTime();
        List<Integer> statuses = new ArrayList<>();
        while (System.nanoTime() - started < Duration.ofSeconds(2).toNanos()) {
            statuses.addAll(statuses(Flux.range(0, 2 * CONCURRENCY).map(i -> i % 2 == 0 ? onThis : onTheOther)));
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        long allowed = statuses.stream().filter(status -> status == 200).count();
        // one budget: the burst, the refill, and at most a chunk leased ahead on each instance
        long oneBudget = (long) (RATE + RATE * seconds) + 2 * CHUNK;
        // two budgets would have let each instance have its own burst and refill
        long twoBudgets = Math.min(statuses.size(), 2 * (long) (RATE + RATE * seconds));
        assertThat(oneBudget).as("%d requests in %.1f s: enough to tell one budget from two", statuses.size(), seconds)
                .isLessThan(twoBudgets);
        assertThat(allowed).isLessThanOrEqualTo(oneBudget).isGreaterThanOrEqualTo(RATE);
    }

    private static SecondInstance second() {
        if (second == null) {
            second = SecondInstance.start("orderflow.rate-limit=" + RATE);
        }
        return second;
    }

    private long storedOrders(List<String> externalRefs) {
        return db.sql("SELECT count(*) FROM orders WHERE external_ref = ANY(:refs)")
                .bind("refs", externalRefs.toArray(String[]::new))
                .map(row -> row.get(0, Long.class))
                .one()
                .block();
    }

    /** The admin is rate-limited here too: set-up waits out a 429 rather than failing on it. */
    @Override
    protected String channelToken() {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    EntityExchangeResult<Map> issued = asAdmin().post().uri("/v1/admin/principals")
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(Map.of("name", unique("channel"), "kind", "channel", "roles", List.of("channel"),
                                    "channels", List.of(unique("shop"))))
                            .exchange()
                            .expectBody(Map.class)
                            .returnResult();
                    return issued.getStatus().value() == 201 ? (String) issued.getResponseBody().get("token") : null;
                }, token -> token != null);
    }

    @Override
    protected void stock(String warehouse, String sku, int onHand) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> asAdmin().put().uri("/v1/inventory/{w}/{s}", warehouse, sku)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("onHand", onHand, "reason", "CYCLE_COUNT"))
                        .exchange()
                        .returnResult(byte[].class)
                        .getStatus().value() == 200);
    }

    /**
     * A connection per request, not the shared keep-alive pool: under these bursts the suite twice
     * stalled on pooled connections (once seen: a request no server had read, responses the client
     * had not read, no request in progress on either server). The limit is what is tested here, not
     * connection reuse between this JVM's client and servers.
     */
    private static WebClient client(int port, String token) {
        return WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
                .baseUrl("http://localhost:" + port)
                .defaultHeader("Authorization", "Bearer " + token)
                .build();
    }

    /** One request per client given, {@value #CONCURRENCY} at a time: faster than the limit whatever the machine. */
    private static List<Integer> statuses(Flux<WebClient> clients) {
        return clients.flatMap(client -> client.get().uri(PATH).exchangeToMono(response -> response.releaseBody()
                        .thenReturn(response.statusCode().value())), CONCURRENCY)
                .collectList()
                // a stalled connection fails the test instead of hanging the suite
                .block(Duration.ofSeconds(30));
    }

    /** One answer: status, headers and body. */
    private record Answer(int status, HttpHeaders headers, String body) {
    }

    /** Calls concurrently, burst after burst, until a 429: that answer. */
    private Answer untilRefused(String token) {
        WebClient client = client(port, token);
        for (int burst = 0; burst < 5; burst++) {
            List<Answer> answers = Flux.range(0, 3 * RATE)
                    .flatMap(i -> client.get().uri(PATH).exchangeToMono(response -> response.bodyToMono(String.class)
                            .defaultIfEmpty("")
                            .map(body -> new Answer(response.statusCode().value(), response.headers().asHttpHeaders(), body))),
                            CONCURRENCY)
                    .collectList()
                    .block();
            for (Answer answer : answers) {
                if (answer.status() == 429) {
                    return answer;
                }
            }
        }
        throw new AssertionError("no 429 after 5 bursts of " + 3 * RATE + " requests");
    }
}
