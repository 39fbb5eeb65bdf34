package dev.orderflow.api.scaleout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/** Orderflow's HTTP API as a client sees it: JSON in and out, a bearer token, any instance. */
final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** An answer: its status and its JSON body (empty when there is none). */
    record Answer(int status, Map<String, Object> body) {
        String string(String field) {
            return (String) body.get(field);
        }
    }

    private Api() {
    }

    static Answer send(OrderflowProcess instance, String method, String path, String token, Object body, Map<String, String> headers) {
        return sendAsync(instance, method, path, token, body, headers).join();
    }

    static CompletableFuture<Answer> sendAsync(OrderflowProcess instance, String method, String path, String token, Object body,
            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(instance.uri(path))
                // generous: on a loaded two-core machine three JVMs, PostgreSQL and the test share the CPU
                .timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Answer(response.statusCode(), parse(response.body())));
    }

    static Answer get(OrderflowProcess instance, String path, String token) {
        return send(instance, "GET", path, token, null, Map.of());
    }

    static Answer post(OrderflowProcess instance, String path, String token, Object body) {
        return send(instance, "POST", path, token, body, Map.of());
    }

    /** The instance's {@code /actuator/prometheus} text. */
    static String metrics(OrderflowProcess instance) {
        try {
            return HTTP.send(HttpRequest.newBuilder(instance.uri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of every sample of a Prometheus metric whose labels contain all of {@code labels}. */
    static double sample(String metrics, String name, String... labels) {
        return metrics.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> Stream.of(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        return JSON.readValue(body, Map.class);
    }

    /**
     * A live {@code GET /v1/events} held open on one instance: the ids of the events it delivered,
     * in arrival order.
     */
    static final class EventStream implements AutoCloseable {

        private final List<String> ids = new CopyOnWriteArrayList<>();
        private final CompletableFuture<?> reading;
        private volatile boolean connected;

        EventStream(OrderflowProcess instance, String token) {
            HttpRequest request = HttpRequest.newBuilder(instance.uri("/v1/events"))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream")
                    .build();
            reading = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(response -> response.body()
                            .peek(line -> connected = true)
                            .filter(line -> line.startsWith("id:"))
                            .forEach(line -> ids.add(line.substring(3).trim())));
        }

        /** Whether the server has opened the stream (its first comment arrived): events from now on are delivered. */
        boolean connected() {
            return connected;
        }

        List<String> ids() {
            return List.copyOf(ids);
        }

        @Override
        public void close() {
            reading.cancel(true);
        }
    }
}
