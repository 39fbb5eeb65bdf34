package dev.orderflow.api.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** Builds order bodies and sends them, blocking (WebTestClient) or reactive (WebClient, for real concurrency). */
public final class OrderflowClient {

    private OrderflowClient() {
    }

    /** An order body: lines as alternating SKU, quantity. */
    public static Map<String, Object> order(String externalRef, String warehouse, Object... skuQuantity) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < skuQuantity.length; i += 2) {
            lines.add(Map.of("sku", skuQuantity[i], "quantity", skuQuantity[i + 1], "unitPrice", "10.00"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("externalRef", externalRef);
        body.put("customerId", "C-100");
        body.put("currency", "USD");
        body.put("warehouse", warehouse);
        body.put("lines", lines);
        return body;
    }

    public static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put(key, value);
        return copy;
    }

    public static EntityExchangeResult<Map> post(WebTestClient client, String idempotencyKey, Map<String, Object> body) {
        return client.post().uri("/v1/orders")
                .header("Idempotency-Key", idempotencyKey)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectBody(Map.class)
                .returnResult();
    }

    /** One answer of a concurrent run: status, headers and body. */
    public record Answer(int status, HttpHeaders headers, Map<String, Object> body) {
    }

    @SuppressWarnings("unchecked")
    public static Mono<Answer> postReactive(WebClient client, String token, String idempotencyKey, Map<String, Object> body) {
        return client.post().uri("/v1/orders")
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", idempotencyKey)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchangeToMono(response -> response.bodyToMono(Map.class)
                        .defaultIfEmpty(Map.of())
                        .map(answer -> new Answer(response.statusCode().value(), response.headers().asHttpHeaders(),
                                (Map<String, Object>) answer)));
    }
}
