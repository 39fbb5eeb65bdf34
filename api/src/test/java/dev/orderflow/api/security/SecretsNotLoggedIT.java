package dev.orderflow.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.orderflow.api.support.IntegrationTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Captures everything the application logs, at DEBUG for Orderflow, Spring Security and Spring Web,
 * while keys are issued, used, misused and revoked and webhook secrets made and rotated; no key, no
 * token and no {@code whsec_} secret may appear in it.
 */
class SecretsNotLoggedIT extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> VERBOSE = List.of("dev.orderflow", "org.springframework.security", "org.springframework.web",
            "org.springframework.http");

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Map<String, Level> levelsBefore = new HashMap<>();

    @BeforeEach
    void capture() {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        captured.setContext(logging);
        captured.start();
        logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(captured);
        for (String name : VERBOSE) {
            Logger logger = logging.getLogger(name);
            levelsBefore.put(name, logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
    }

    @AfterEach
    void release() {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(captured);
        levelsBefore.forEach((name, level) -> logging.getLogger(name).setLevel(level));
        captured.stop();
    }

    @Test
    void noKeyTokenOrWebhookSecretIsEverLogged() {
        List<String> secrets = new ArrayList<>();
        secrets.add(ADMIN_KEY);

        // principals issued, used, revoked, and used again after
        Map<String, Object> issued = json(asAdmin().post().uri("/v1/admin/principals").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", unique("partner"), "kind", "partner", "roles", List.of("partner"), "channels", List.of("shop")))
                .exchange().expectStatus().isCreated());
        String partner = (String) issued.get("token");
        secrets.add(partner);
        String channel = (String) json(asAdmin().post().uri("/v1/admin/principals").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", unique("shop"), "kind", "channel", "roles", List.of("channel"), "channels", List.of("shop")))
                .exchange().expectStatus().isCreated()).get("token");
        secrets.add(channel);
        as(channel).get().uri("/v1/orders?limit=1").exchange().expectStatus().isOk();
        as(channel).get().uri("/v1/admin/principals").exchange().expectStatus().isForbidden();
        as(channel).post().uri("/v1/orders").contentType(MediaType.APPLICATION_JSON).bodyValue("{not json")
                .exchange().expectStatus().isBadRequest();

        // webhooks made and their secrets rotated
        Map<String, Object> subscription = json(as(partner).post().uri("/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", "http://localhost:9/hooks", "events", List.of("order.*")))
                .exchange().expectStatus().isCreated());
        secrets.add((String) subscription.get("secret"));
        Map<String, Object> rotated = json(as(partner).post().uri("/v1/webhooks/{id}/rotate-secret", subscription.get("id"))
                .exchange().expectStatus().isOk());
        secrets.add((String) rotated.get("secret"));

        // keys that are wrong, malformed or revoked
        String wrong = "of_" + "x".repeat(43);
        secrets.add(wrong);
        as(wrong).get().uri("/v1/orders").exchange().expectStatus().isUnauthorized();
        String jwtShaped = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrIn0.c2lnbmF0dXJlLXRoYXQtbXVzdC1ub3QtbGVhaw";
        secrets.add(jwtShaped);
        as(jwtShaped).get().uri("/v1/orders").exchange().expectStatus().isUnauthorized();
        http.get().uri("/v1/orders").header("Authorization", "Basic " + wrong).exchange().expectStatus().isUnauthorized();
        asAdmin().delete().uri("/v1/admin/principals/{id}", issued.get("id")).exchange().expectStatus().isNoContent();
        as(partner).get().uri("/v1/webhooks").exchange().expectStatus().isUnauthorized();

        String log = text();
        assertThat(captured.list).as("the capture works").isNotEmpty();
        for (String secret : secrets) {
            assertThat(log).as("the log holds a secret").doesNotContain(secret);
            // nor a recognisable part of one
            assertThat(log).doesNotContain(secret.substring(0, Math.min(secret.length(), 24)));
        }
        assertThat(log).doesNotContain("whsec_");
    }

    /**
     * The answer's body, read as bytes and parsed here: the test's own client would otherwise log
     * what it decoded (secrets included) at DEBUG, and this test is about the application's log.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(WebTestClient.ResponseSpec response) {
        return JSON.readValue(response.expectBody().returnResult().getResponseBodyContent(), Map.class);
    }

    private String text() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : List.copyOf(captured.list)) {
            text.append(event.getFormattedMessage()).append('\n');
            event.getMDCPropertyMap().forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
            if (event.getThrowableProxy() != null) {
                text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
            }
        }
        return text.toString();
    }
}
