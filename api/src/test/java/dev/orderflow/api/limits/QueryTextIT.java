package dev.orderflow.api.limits;

import static dev.orderflow.api.support.ProblemAssertions.assertAcceptedOrProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Text that reaches a query from the URL rather than a JSON body (query parameters and path
 * segments, percent-decoded) gets the same answer as bad JSON text: a 2xx or a 4xx problem, never a
 * 500 from PostgreSQL refusing a U+0000 or an invalid byte.
 */
class QueryTextIT extends IntegrationTest {

    /** NUL, a byte that is no UTF-8, a UTF-8 encoded surrogate, an over-long encoding, and plain odd text. */
    private static final List<String> ODD = List.of("%00", "a%00b", "%FF", "%ED%A0%80", "%C0%80", "%E2%80%AE", "'--", "%25");

    private final List<String> failures = new ArrayList<>();

    @Test
    void oddTextInTheUrlIsAnAnswerOrAProblem() {
        WebTestClient channel = as(channelToken());
        String order = UUID.randomUUID().toString();
        for (String odd : ODD) {
            check(channel, "/v1/orders?externalRef=" + odd);
            check(channel, "/v1/orders?cursor=" + odd);
            check(channel, "/v1/orders?status=" + odd);
            check(channel, "/v1/orders/" + odd);
            check(channel, "/v1/orders/" + order + "/edi/" + odd);
            check(channel, "/v1/inventory/availability?sku=" + odd + "&warehouse=" + odd);
            check(channel, "/v1/events?lastEventId=" + odd);
            check(asAdmin(), "/v1/admin/audit?action=" + odd + "&targetId=" + odd + "&cursor=" + odd);
            check(asAdmin(), "/v1/admin/principals?cursor=" + odd);
            check(asAdmin(), "/v1/edi/customers/" + odd + "/items");
            check(asAdmin(), "/v1/webhooks/" + UUID.randomUUID() + "/deliveries?cursor=" + odd);
            check(asAdmin(), "/v1/exceptions?limit=" + odd);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aNulInAQueryParameterIsRefusedNamingIt() {
        as(channelToken()).get().uri(url("/v1/orders?limit=5&externalRef=PO%00-1"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("'externalRef'", "U+0000"));
    }

    @Test
    void aUrlTheFirewallRefusesIsAProblemToo() {
        as(channelToken()).get().uri(url("/v1/orders/%25"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.title").isEqualTo("Request URL rejected");
    }

    private void check(WebTestClient client, String uri) {
        FluxExchangeResult<DataBuffer> answer = client.get().uri(url(uri))
                .exchange()
                .returnResult(DataBuffer.class);
        MediaType type = answer.getResponseHeaders().getContentType();
        if (type != null && type.isCompatibleWith(MediaType.TEXT_EVENT_STREAM)) {
            answer.getResponseBody().subscribe().dispose(); // the stream was opened: an answer; not read to its (no) end
            return;
        }
        String body = DataBufferUtils.join(answer.getResponseBody())
                .map(buffer -> buffer.toString(StandardCharsets.UTF_8))
                .defaultIfEmpty("")
                .block(Duration.ofSeconds(10));
        try {
            assertAcceptedOrProblem(answer.getStatus().value(), answer.getResponseHeaders().getFirst(HttpHeaders.CONTENT_TYPE), body);
        } catch (AssertionError wrong) {
            failures.add(uri + " -> " + answer.getStatus().value() + " " + body);
        }
    }

    /** The URL as written: WebTestClient would encode a '%' in a template again. */
    private URI url(String pathAndQuery) {
        return URI.create("http://localhost:" + port + pathAndQuery);
    }
}
