package dev.orderflow.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every way a request can go wrong answers an RFC 9457 problem: {@code application/problem+json},
 * {@code type}, {@code title}, {@code status} (the HTTP status), {@code detail}, and nothing of our
 * insides (no exception names, no stack frames, no class names).
 */
class ProblemsIT extends IntegrationTest {

    private static final String PRINCIPALS = "/v1/admin/principals";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void anUnknownRouteIs404() {
        problem(http.get().uri("/no-such-thing").exchange(), HttpStatus.NOT_FOUND);
        // under /v1 the caller is authenticated first, then told there is nothing there
        problem(asAdmin().get().uri("/v1/no-such-thing").exchange(), HttpStatus.NOT_FOUND);
    }

    @Test
    void aWrongMethodIs405WithAnAllowHeader() {
        EntityExchangeResult<byte[]> result = problem(asAdmin().patch().uri(PRINCIPALS).exchange(),
                HttpStatus.METHOD_NOT_ALLOWED);

        assertThat(result.getResponseHeaders().getAllow())
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("GET", "POST");
    }

    @Test
    void aWrongMediaTypeIs415() {
        JsonNode body = body(problem(asAdmin().post().uri(PRINCIPALS)
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("name=webshop")
                .exchange(), HttpStatus.UNSUPPORTED_MEDIA_TYPE));

        assertThat(body.get("detail").asString()).contains("text/plain").contains("application/json");
    }

    @Test
    void malformedJsonIs400() {
        JsonNode body = body(problem(asAdmin().post().uri(PRINCIPALS)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"webshop\", \"kind\": ")
                .exchange(), HttpStatus.BAD_REQUEST));

        assertThat(body.get("type").asString()).endsWith("/malformed-body");
    }

    @Test
    void aValueOfTheWrongJsonTypeIs400NamingTheField() {
        JsonNode body = body(problem(asAdmin().post().uri(PRINCIPALS)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"webshop\", \"kind\": \"channel\", \"roles\": {\"channel\": true}}")
                .exchange(), HttpStatus.BAD_REQUEST));

        assertThat(body.get("type").asString()).endsWith("/malformed-body");
        assertThat(body.get("detail").asString()).contains("'roles'");
    }

    @Test
    void aBeanValidationFailureIs400ListingEveryField() {
        JsonNode body = body(problem(asAdmin().post().uri(PRINCIPALS)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", " ", "kind", "robot", "roles", List.of()))
                .exchange(), HttpStatus.BAD_REQUEST));

        assertThat(body.get("type").asString()).endsWith("/validation-failed");
        List<String> fields = new ArrayList<>();
        for (JsonNode error : body.get("errors")) {
            assertThat(error.get("message").asString()).isNotBlank();
            fields.add(error.get("field").asString());
        }
        assertThat(fields).containsExactlyInAnyOrder("name", "kind", "roles");
    }

    @Test
    void noTokenIs401WithABearerChallenge() {
        problem(http.get().uri(PRINCIPALS).exchange(), HttpStatus.UNAUTHORIZED);
    }

    @Test
    void anUnknownTokenIs401() {
        problem(as("of_not-a-key-we-issued").get().uri(PRINCIPALS).exchange(), HttpStatus.UNAUTHORIZED);
    }

    @Test
    void aSchemeOtherThanBearerIs401() {
        // even with the admin key itself: only "Bearer" carries a token
        problem(http.get().uri(PRINCIPALS).header(HttpHeaders.AUTHORIZATION, "Basic " + ADMIN_KEY).exchange(),
                HttpStatus.UNAUTHORIZED);
    }

    @Test
    void aMissingRoleIs403() {
        String channel = issueToken("channel", List.of("channel"), List.of("webshop"));

        problem(as(channel).get().uri(PRINCIPALS).exchange(), HttpStatus.FORBIDDEN);
    }

    /** Asserts what every problem shares and returns the exchange for the case's own checks. */
    private static EntityExchangeResult<byte[]> problem(WebTestClient.ResponseSpec response, HttpStatus status) {
        EntityExchangeResult<byte[]> result = response
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .returnResult();
        String raw = new String(result.getResponseBodyContent(), StandardCharsets.UTF_8);
        JsonNode body = JSON.readTree(raw);
        assertThat(body.get("type").asString()).startsWith("https://");
        assertThat(body.get("title").asString()).isNotBlank();
        assertThat(body.get("status").isInt()).isTrue();
        assertThat(body.get("status").asInt()).isEqualTo(status.value());
        assertThat(body.get("detail").asString()).isNotBlank();
        assertThat(raw).as("no insides in %s", raw)
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("\\tat ")
                .doesNotContain("dev.orderflow");
        if (status == HttpStatus.UNAUTHORIZED) {
            assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
        }
        return result;
    }

    private static JsonNode body(EntityExchangeResult<byte[]> result) {
        return JSON.readTree(result.getResponseBodyContent());
    }
}
