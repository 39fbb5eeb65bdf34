package dev.orderflow.api.admin;

import static org.awaitility.Awaitility.await;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.SecondInstance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/**
 * A key revoked on one instance stops working on another that has it cached, through Redis
 * publish/subscribe: within moments, not when the other's 30-second cache runs out.
 */
class RevocationAcrossInstancesIT extends IntegrationTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    /** Far below the directory's 30 s cache: only the broadcast can make it. */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

    private static SecondInstance other;

    @BeforeAll
    static void startOther() {
        other = SecondInstance.start();
    }

    @AfterAll
    static void stopOther() {
        other.close();
    }

    @Test
    void aKeyRevokedHereIsRefusedThereAtOnce() {
        Map<String, Object> issued = asAdmin().post().uri("/v1/admin/principals").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", unique("ops"), "kind", "user", "roles", List.of("operator")))
                .exchange().expectStatus().isCreated()
                .expectBody(JSON).returnResult().getResponseBody();
        String token = (String) issued.get("token");
        // used on both, so both have it cached
        as(token).get().uri("/v1/exceptions").exchange().expectStatus().isOk();
        other.as(token).get().uri("/v1/exceptions").exchange().expectStatus().isOk();

        asAdmin().delete().uri("/v1/admin/principals/{id}", issued.get("id")).exchange().expectStatus().isNoContent();

        as(token).get().uri("/v1/exceptions").exchange().expectStatus().isUnauthorized();
        await().atMost(PROMPTLY).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                other.as(token).get().uri("/v1/exceptions").exchange().expectStatus().isUnauthorized());
    }

    @Test
    void aKeyRevokedThereIsRefusedHereAtOnce() {
        Map<String, Object> issued = asAdmin().post().uri("/v1/admin/principals").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", unique("ops"), "kind", "user", "roles", List.of("operator")))
                .exchange().expectStatus().isCreated()
                .expectBody(JSON).returnResult().getResponseBody();
        String token = (String) issued.get("token");
        as(token).get().uri("/v1/exceptions").exchange().expectStatus().isOk();

        other.as(ADMIN_KEY).delete().uri("/v1/admin/principals/{id}", issued.get("id")).exchange().expectStatus().isNoContent();

        await().atMost(PROMPTLY).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                as(token).get().uri("/v1/exceptions").exchange().expectStatus().isUnauthorized());
    }
}
