package dev.orderflow.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/** What operators and tooling reach without a token: health probes, metrics, the API description. */
class HealthIT extends IntegrationTest {

    @Test
    void healthIsUpWithPostgresAndRedis() {
        http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");
    }

    @Test
    void livenessIsUpAndDoesNotDependOnPostgresOrRedis() {
        // a database outage must not make Kubernetes restart every instance
        http.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.livenessState.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc").doesNotExist()
                .jsonPath("$.components.redis").doesNotExist();
    }

    @Test
    void overallHealthShowsPostgresAndRedis() {
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");
    }

    @Test
    void prometheusServesMetricsWithoutAToken() {
        EntityExchangeResult<String> result = http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class)
                .returnResult();

        assertThat(result.getResponseBody())
                .contains("# TYPE jvm_memory_used_bytes gauge")
                .containsPattern("(?m)^jvm_memory_used_bytes\\{.*application=\"orderflow\".*} \\S+$");
    }

    @Test
    void openApiDocumentDescribesThePrincipalsApi() {
        http.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.openapi").value(version -> assertThat((String) version).startsWith("3."))
                .jsonPath("$.paths['/v1/admin/principals'].post").exists()
                .jsonPath("$.paths['/v1/admin/principals'].get").exists()
                .jsonPath("$.paths['/v1/admin/principals/{id}'].delete").exists();
    }

    @Test
    void swaggerUiAnswersWithoutAToken() {
        EntityExchangeResult<byte[]> first = http.get().uri("/swagger-ui.html").exchange()
                .expectBody()
                .returnResult();
        String page = "/swagger-ui.html";
        if (first.getStatus().is3xxRedirection()) {
            URI location = first.getResponseHeaders().getLocation();
            assertThat(location).as("a redirect says where to").isNotNull();
            page = location.toString();
        } else {
            assertThat(first.getStatus().value()).isEqualTo(200);
        }

        String html = http.get().uri(page).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(html).contains("swagger-ui-bundle.js");
        // the page's script, streamed out of the webjar (about 1.5 MB): a browser loads it next
        byte[] script = http.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024)).build()
                .get().uri(URI.create(page).resolve("swagger-ui-bundle.js").toString()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .returnResult()
                .getResponseBodyContent();
        assertThat(script).hasSizeGreaterThan(100_000);
    }
}
