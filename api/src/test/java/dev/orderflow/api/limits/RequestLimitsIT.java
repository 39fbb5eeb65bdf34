package dev.orderflow.api.limits;

import static dev.orderflow.api.support.OrderflowClient.order;
import static dev.orderflow.api.support.OrderflowClient.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What one request may be: body size, JSON depth, header size and count; each refusal a problem with its status. */
class RequestLimitsIT extends IntegrationTest {

    @Test
    void aJsonBodyOverOneMegabyteIs413() {
        String token = channelToken();
        String externalRef = unique("PO");
        Map<String, Object> huge = with(order(externalRef, "W1", "SKU-1", 1), "customerId", "C".repeat(1_100_000));

        EntityExchangeResult<byte[]> answer = as(token).post().uri("/v1/orders")
                .header("Idempotency-Key", externalRef)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(huge)
                .exchange()
                .expectBody().returnResult();

        assertProblem(answer, 413);
        as(token).get().uri("/v1/orders?externalRef={ref}", externalRef).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    @Test
    void jsonNestedDeeperThanTheLimitIs400() {
        // deeper than our limit, far below Jackson's own (500): only the limit can refuse it; in a
        // field the order does not have, so no binding error comes first
        String nested = "[".repeat(JsonLimits.MAX_NESTING_DEPTH + 10) + "]".repeat(JsonLimits.MAX_NESTING_DEPTH + 10);
        String body = "{\"notes\": " + nested + ", \"externalRef\": \"PO-DEEP\", \"customerId\": \"C-1\", \"currency\": \"USD\"}";

        EntityExchangeResult<byte[]> answer = as(channelToken()).post().uri("/v1/orders")
                .header("Idempotency-Key", unique("k"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectBody().returnResult();

        assertProblem(answer, 400);
        assertThat(new String(answer.getResponseBodyContent())).contains("nests deeper");
    }

    @Test
    void aNumberLongerThanTheLimitIs400() {
        String body = "{\"externalRef\": \"PO-LONG\", \"customerId\": \"C-1\", \"currency\": \"USD\", \"lines\": [{\"sku\": \"SKU-1\","
                + " \"quantity\": 1, \"unitPrice\": " + "9".repeat(JsonLimits.MAX_NUMBER_LENGTH + 1) + "}]}";

        EntityExchangeResult<byte[]> answer = as(channelToken()).post().uri("/v1/orders")
                .header("Idempotency-Key", unique("k"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectBody().returnResult();

        assertProblem(answer, 400);
    }

    @Test
    void headersLargerThanTheLimitAre431Problems() {
        EntityExchangeResult<byte[]> answer = asAdmin().get().uri("/v1/admin/principals")
                .header("X-Padding", "p".repeat(HeaderLimits.MAX_BYTES))
                .exchange()
                .expectBody().returnResult();

        assertProblem(answer, 431);
    }

    @Test
    void moreHeadersThanTheLimitAre431Problems() {
        WebTestClient.RequestHeadersSpec<?> request = asAdmin().get().uri("/v1/admin/principals");
        for (int i = 0; i <= HeaderLimits.MAX_COUNT; i++) {
            request = request.header("X-Extra-" + i, "v");
        }

        assertProblem(request.exchange().expectBody().returnResult(), 431);
    }

    @Test
    void headersBeyondWhatNettyReadsAreStillA431NotAFailure() {
        // past server.max-http-request-header-size Reactor Netty answers by itself: a bare 431, no problem body
        http.get().uri("/actuator/health")
                .header("X-Padding", "p".repeat(70 * 1024))
                .exchange()
                .expectStatus().isEqualTo(431);
    }

    @Test
    void headersWithinTheLimitsPass() {
        asAdmin().get().uri("/v1/admin/principals?limit=1")
                .header("X-Padding", "p".repeat(HeaderLimits.MAX_BYTES / 2))
                .exchange()
                .expectStatus().isOk();
    }

    private static void assertProblem(EntityExchangeResult<byte[]> answer, int status) {
        assertThat(answer.getStatus().value()).isEqualTo(status);
        assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(new String(answer.getResponseBodyContent())).contains("\"status\":" + status).doesNotContain("Exception");
    }
}
