package dev.orderflow.api.support;

import dev.orderflow.api.OrderflowApplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Base of the integration tests: the whole application on a random port, over real HTTP, against
 * a real PostgreSQL and Redis (the embedded ones, or those named by ORDERFLOW_DATABASE_URL and
 * ORDERFLOW_REDIS_URL). Tests share one database, so each test makes its own names (see
 * {@link #unique(String)}) rather than cleaning up after others.
 */
@SpringBootTest(classes = OrderflowApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class IntegrationTest {

    /** Set for the test JVM by the failsafe configuration in the parent pom. */
    protected static final String ADMIN_KEY = "it-admin-key-0123456789";

    @Value("${local.server.port}")
    protected int port;

    @Value("${spring.flyway.url}")
    private String jdbcUrl;

    @Value("${spring.flyway.user}")
    private String jdbcUser;

    @Value("${spring.flyway.password:}")
    private String jdbcPassword;

    /*
     * Every integration test shares one context, so one engine: its downstreams are the WireMock of
     * {@link Downstreams}. System properties, so that a test class's own @TestPropertySource (which
     * outranks them) can point elsewhere.
     */
    static {
        System.setProperty("orderflow.downstream.credit.url", Downstreams.baseUrl("credit"));
        System.setProperty("orderflow.downstream.fulfillment.url", Downstreams.baseUrl("fulfillment"));
        System.setProperty("orderflow.downstream.invoicing.url", Downstreams.baseUrl("invoicing"));
    }

    protected WebTestClient http;

    @BeforeEach
    void connect() {
        // a connection of its own per request: no test can starve another of pooled connections
        http = WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
                .baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    /**
     * Plain JDBC to the tests' PostgreSQL server, outside the service's pool: the test database, or
     * with {@code database} another one on the same server.
     */
    protected DataSource jdbc(String database) {
        String url = database == null ? jdbcUrl : jdbcUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        return new DriverManagerDataSource(url, jdbcUser, jdbcPassword);
    }

    protected WebTestClient as(String token) {
        return http.mutate().defaultHeader("Authorization", "Bearer " + token).build();
    }

    protected WebTestClient asAdmin() {
        return as(ADMIN_KEY);
    }

    /** Issues a principal through the admin API and returns its token. */
    protected String issueToken(String kind, List<String> roles, List<String> channels) {
        Map<?, ?> issued = asAdmin().post().uri("/v1/admin/principals")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", unique(kind), "kind", kind, "roles", roles, "channels", channels))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        return (String) issued.get("token");
    }

    /** Counts stock through the API: the warehouse stocks {@code sku}, {@code onHand} of it. */
    protected void stock(String warehouse, String sku, int onHand) {
        asAdmin().put().uri("/v1/inventory/{w}/{s}", warehouse, sku)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("onHand", onHand, "reason", "CYCLE_COUNT"))
                .exchange()
                .expectStatus().isOk();
    }

    /** The token of a new channel principal for a channel of its own. */
    protected String channelToken() {
        return issueToken("channel", List.of("channel"), List.of(unique("shop")));
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
