package dev.orderflow.api.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.orderflow.api.support.OrderflowClient.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.orderflow.api.support.Downstreams;
import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A claim's rows reach the worker before its commit does. When the commit then fails (PostgreSQL
 * dies, the connection drops), nothing may have been sent on the strength of that claim: the step
 * or delivery is still free in PostgreSQL, and whoever claims it next sends it again. Here the
 * commit is made to fail on purpose, by a deferred constraint trigger that refuses the claims of
 * one order at commit time, after the claim's UPDATE ... RETURNING has answered its rows.
 */
class ClaimCommitIT extends IntegrationTest {

    private static final WireMockServer RECEIVER = new WireMockServer(options().dynamicPort());

    static {
        RECEIVER.start();
    }

    @Autowired
    DatabaseClient db;

    WireMockServer downstreams = Downstreams.server();
    String channel;
    String warehouse;
    String sku;
    OrderFixtures orders;

    @BeforeEach
    void refuseClaimsOfDoomedOrdersAtCommit() {
        Downstreams.healthy();
        RECEIVER.resetAll();
        RECEIVER.stubFor(post(urlPathEqualTo("/hooks")).willReturn(aResponse().withStatus(204)));
        channel = unique("shop");
        warehouse = unique("W");
        sku = unique("SKU");
        stock(warehouse, sku, 100);
        orders = new OrderFixtures(asAdmin(), as(issueToken("channel", List.of("channel"), List.of(channel))), warehouse);
        sql("CREATE TABLE IF NOT EXISTS doomed_order (order_id uuid PRIMARY KEY)");
        sql("""
                CREATE OR REPLACE FUNCTION refuse_doomed_claim() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.attempts > OLD.attempts AND EXISTS (SELECT 1 FROM doomed_order WHERE order_id = NEW.order_id) THEN
                        RAISE EXCEPTION 'claim of a doomed order refused at commit';
                    END IF;
                    RETURN NULL;
                END $$""");
        for (String table : List.of("step", "webhook_delivery")) {
            sql("DROP TRIGGER IF EXISTS refuse_doomed_claim ON " + table);
            sql("CREATE CONSTRAINT TRIGGER refuse_doomed_claim AFTER UPDATE ON " + table
                    + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_doomed_claim()");
        }
    }

    @AfterEach
    void claimsCommitAgain() {
        sql("DROP TRIGGER IF EXISTS doom_new_order ON orders");
        sql("DROP TRIGGER IF EXISTS refuse_doomed_claim ON step");
        sql("DROP TRIGGER IF EXISTS refuse_doomed_claim ON webhook_delivery");
        sql("DELETE FROM doomed_order");
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop();
    }

    @Test
    void aStepWhoseClaimFailsToCommitIsNotCalledUntilAClaimCommits() {
        // the engine claims a new order's credit check at once: doom it before the order exists
        doomNewOrders();
        String id = orders.place(order(unique("PO"), warehouse, sku, 1));

        // claims keep being made and refused; a worker handed a refused claim would call
        await("no credit check called on claims that never committed").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> downstreams.findAll(postRequestedFor(urlPathEqualTo("/credit/credit-checks")).withRequestBody(containing(id)))
                        .isEmpty());
        assertThat(stepState(id)).isEqualTo(Map.of("state", "PENDING", "attempts", 0));

        sql("DELETE FROM doomed_order");
        orders.awaitStatus(id, "RELEASED");
        assertThat(downstreams.findAll(postRequestedFor(urlPathEqualTo("/credit/credit-checks")).withRequestBody(containing(id))))
                .hasSize(1);
    }

    @Test
    void aWebhookDeliveryWhoseClaimFailsToCommitIsNotSentUntilAClaimCommits() {
        subscribe();
        // steps are not refused here, only deliveries: doom the order after its steps ran
        String id = orders.place(order(unique("PO"), warehouse, sku, 1));
        orders.awaitStatus(id, "RELEASED");
        await().atMost(Duration.ofSeconds(20)).until(() -> sent(id) >= 2);
        RECEIVER.resetRequests();

        sql("INSERT INTO doomed_order VALUES ('" + id + "')");
        String cancelled = asAdminCancel(id);
        assertThat(cancelled).isEqualTo("CANCELLED");
        await("no delivery sent on claims that never committed").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> sent(id) == 0);

        sql("DELETE FROM doomed_order");
        await().atMost(Duration.ofSeconds(20)).until(() -> sent(id) >= 1);
    }

    /** Every order of this test's channel placed from now on is doomed (order ids are UUIDv7: not known in advance). */
    private void doomNewOrders() {
        sql("""
                CREATE OR REPLACE FUNCTION doom_new_order() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO doomed_order VALUES (NEW.id) ON CONFLICT DO NOTHING;
                    RETURN NULL;
                END $$""");
        sql("DROP TRIGGER IF EXISTS doom_new_order ON orders");
        sql("CREATE TRIGGER doom_new_order AFTER INSERT ON orders FOR EACH ROW WHEN (NEW.channel = '" + channel
                + "') EXECUTE FUNCTION doom_new_order()");
    }

    private String asAdminCancel(String id) {
        Map<?, ?> answer = asAdmin().post().uri("/v1/orders/" + id + "/cancel").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "test")).exchange().expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        return (String) answer.get("status");
    }

    private void subscribe() {
        as(issueToken("partner", List.of("partner"), List.of(channel))).post().uri("/v1/webhooks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", RECEIVER.baseUrl() + "/hooks", "events", List.of("order.*"), "channels", List.of(channel)))
                .exchange().expectStatus().isCreated();
    }

    private long sent(String orderId) {
        return RECEIVER.findAll(postRequestedFor(urlPathEqualTo("/hooks")).withRequestBody(containing(orderId))).size();
    }

    private Map<String, Object> stepState(String orderId) {
        return db.sql("SELECT state, attempts FROM step WHERE order_id = :id::uuid AND kind = 'CREDIT_CHECK'")
                .bind("id", orderId)
                .fetch().one()
                .block(Duration.ofSeconds(5));
    }

    private void sql(String statement) {
        db.sql(statement).then().block(Duration.ofSeconds(10));
    }
}
