package dev.orderflow.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Prepares a running Orderflow for a simulation over its own HTTP API: channel principals and stock. */
final class Setup {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The service answers at most this many SKUs per availability query. */
    private static final int SKUS_PER_QUERY = 100;
    /** Counts in flight while stocking many SKUs: each takes the warehouse lock, so more would only queue. */
    private static final int STOCKING_CONCURRENCY = 8;

    private final HttpClient client = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String adminKey;

    Setup(String baseUrl, String adminKey) {
        this.baseUrl = baseUrl;
        this.adminKey = adminKey;
    }

    /** Issues a channel principal and answers its token. */
    String channelToken(String channel) {
        String body = "{\"name\":\"perf-" + channel + "\",\"kind\":\"channel\",\"roles\":[\"channel\"],\"channels\":[\"" + channel + "\"]}";
        String answer = send("POST", "/v1/admin/principals", body, 201);
        Matcher token = TOKEN.matcher(answer);
        if (!token.find()) {
            throw new IllegalStateException("no token in " + answer);
        }
        return token.group(1);
    }

    void stock(String warehouse, String sku, long onHand) {
        send("PUT", "/v1/inventory/" + warehouse + "/" + sku, count(onHand), 200);
    }

    /**
     * Counts every SKU at {@code onHand}, a few requests at a time (each count takes the warehouse
     * lock, so a handful in flight is as fast as it gets: about 100 per second on the 2-core machine).
     */
    void stockAll(String warehouse, List<String> skus, long onHand) {
        Semaphore inFlight = new Semaphore(STOCKING_CONCURRENCY);
        AtomicInteger done = new AtomicInteger();
        List<CompletableFuture<Void>> counts = new ArrayList<>();
        for (String sku : skus) {
            inFlight.acquireUninterruptibly();
            counts.add(client.sendAsync(request("PUT", "/v1/inventory/" + warehouse + "/" + sku, count(onHand)),
                            HttpResponse.BodyHandlers.ofString())
                    .thenAccept(response -> {
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("PUT " + sku + " answered " + response.statusCode() + ": " + response.body());
                        }
                        int n = done.incrementAndGet();
                        if (n % 1000 == 0) {
                            Report.line("stocked %,d of %,d SKUs in %s", n, skus.size(), warehouse);
                        }
                    })
                    .whenComplete((ignored, error) -> inFlight.release()));
        }
        CompletableFuture.allOf(counts.toArray(CompletableFuture[]::new)).join();
    }

    /** PostgreSQL's view of each SKU at the warehouse (on-hand, reserved by open orders, available), by SKU. */
    Map<String, Level> availability(String warehouse, List<String> skus) {
        Map<String, Level> levels = new LinkedHashMap<>();
        for (int from = 0; from < skus.size(); from += SKUS_PER_QUERY) {
            List<String> slice = skus.subList(from, Math.min(skus.size(), from + SKUS_PER_QUERY));
            levels.putAll(Level.parse(send("GET", availabilityPath(warehouse, slice), null, 200)));
        }
        return levels;
    }

    static String availabilityPath(String warehouse, List<String> skus) {
        return "/v1/inventory/availability?warehouse=" + URLEncoder.encode(warehouse, StandardCharsets.UTF_8) + "&"
                + skus.stream().map(sku -> "sku=" + URLEncoder.encode(sku, StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** A GET as the admin, answering the body. */
    String get(String path) {
        return send("GET", path, null, 200);
    }

    /** A GET as the bearer of {@code token}, answering the body. */
    String get(String token, String path) {
        return new Setup(baseUrl, token).get(path);
    }

    /** Stock of one SKU at one warehouse, as {@code GET /v1/inventory/availability} answers it. */
    record Level(String sku, long onHand, long reserved, long available) {

        static Map<String, Level> parse(String body) {
            try {
                Map<String, Level> levels = new LinkedHashMap<>();
                for (JsonNode item : JSON.readTree(body).path("items")) {
                    Level level = new Level(item.path("sku").asText(), item.path("onHand").asLong(),
                            item.path("reserved").asLong(), item.path("available").asLong());
                    levels.put(level.sku(), level);
                }
                return levels;
            } catch (IOException e) {
                throw new IllegalStateException("not an availability answer: " + body, e);
            }
        }
    }

    private static String count(long onHand) {
        return "{\"onHand\":" + onHand + ",\"reason\":\"CYCLE_COUNT\"}";
    }

    private HttpRequest request(String method, String path, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + adminKey);
        if (body == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private String send(String method, String path, String body, int expected) {
        try {
            HttpResponse<String> response = client.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("Orderflow not reachable at " + baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
