package dev.orderflow.api.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;

/**
 * One RFC 9457 problem: what a client reads when Orderflow says no. {@code type} is a stable URI
 * per kind of problem, so clients can branch on it rather than on the wording of {@code detail}.
 */
public record Problem(HttpStatusCode status, String type, String title, String detail, Map<String, Object> properties,
        HttpHeaders headers) {

    static final String TYPE_BASE = "https://orderflow.dev/problems/";

    public static Problem of(HttpStatusCode status, String slug, String title, String detail) {
        return new Problem(status, TYPE_BASE + slug, title, detail, new LinkedHashMap<>(), new HttpHeaders());
    }

    public Problem with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    public Problem header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    public Problem retryAfter(Duration delay) {
        return header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, delay.toSeconds())));
    }

    /**
     * The body, members in the RFC's order, then the extensions. An extension never replaces a
     * member: an order's status once went out as {@code "status": "CANCELLED"} in place of the 409.
     */
    Map<String, Object> body(String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", instance);
        properties.forEach(body::putIfAbsent);
        return body;
    }
}
