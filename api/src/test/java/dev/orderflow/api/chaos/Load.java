package dev.orderflow.api.chaos;

import static dev.orderflow.api.chaos.WorkloadClock.pause;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load the faults land on: a few channel clients posting orders as well-behaved clients do
 * (a 503, 409, 429 or an unknown outcome is retried with the same key and body; now and then a key
 * that already succeeded is sent again), and a warehouse posting receipts, so stock runs out and is
 * refilled and an oversell would show. Every request goes to the {@link History}.
 */
final class Load {

    static final String WAREHOUSE = "W1";
    static final List<String> SKUS = List.of("SKU-0", "SKU-1", "SKU-2", "SKU-3", "SKU-4");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern ORDER_ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The problem type of a 503 after which the order may or may not exist (retry with the same key to find out). */
    private static final String OUTCOME_UNKNOWN = "problems/outcome-unknown";
    /** How often a client sends one key before it gives up on it (about ten seconds of retries). */
    private static final int ATTEMPTS_PER_KEY = 30;

    private final Supplier<URI> service;
    private final String channelToken;
    private final String warehouseToken;
    private final History history;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final Map<String, Map<String, Object>> bodies = new ConcurrentHashMap<>();
    private final List<String> succeededKeys = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger nextKey = new AtomicInteger();
    private final AtomicInteger nextReceipt = new AtomicInteger();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private volatile boolean stopped;

    Load(Supplier<URI> service, String channelToken, String warehouseToken, History history) {
        this.service = service;
        this.channelToken = channelToken;
        this.warehouseToken = warehouseToken;
        this.history = history;
    }

    /** Starts {@code clients} order clients and one warehouse client; they run until {@link #stop()}. */
    List<Thread> start(int clients, Duration pause) {
        List<Thread> threads = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            Random random = new Random(client * 7919L + 17);
            threads.add(thread("chaos-client-" + client, () -> orderClient(random, pause)));
        }
        threads.add(thread("chaos-warehouse", this::warehouseClient));
        return threads;
    }

    void stop() {
        stopped = true;
    }

    private void orderClient(Random random, Duration pause) {
        String retrying = null;
        int attempts = 0;
        while (!stopped) {
            String key;
            if (retrying != null && attempts < ATTEMPTS_PER_KEY) {
                key = retrying;
                attempts++;
            } else if (random.nextInt(10) == 0 && !succeededKeys.isEmpty()) {
                key = succeededKeys.get(random.nextInt(succeededKeys.size()));
                attempts = 0;
            } else {
                key = "k-" + run + "-" + nextKey.incrementAndGet();
                bodies.put(key, order(key, random));
                attempts = 0;
            }
            History.Entry entry = send("order", key, "/v1/orders", channelToken, bodies.get(key), Map.of("Idempotency-Key", key));
            if (entry.succeeded()) {
                if (key.equals(retrying) || attempts == 0) {
                    succeededKeys.add(key);
                }
                retrying = null;
            } else if (entry.unknown() || entry.status() == History.REFUSED || entry.status() == 503 || entry.status() == 409 || entry.status() == 429
                    || entry.status() >= 500) {
                retrying = key;
                if (attempts == 0) {
                    attempts = 1;
                }
                pause(Duration.ofMillis(250));
            } else {
                retrying = null;
            }
            pause(pause);
        }
    }

    private void warehouseClient() {
        while (!stopped) {
            pause(Duration.ofSeconds(2));
            String reference = "R-" + run + "-" + nextReceipt.incrementAndGet();
            List<Map<String, Object>> lines = SKUS.stream().map(sku -> Map.<String, Object>of("sku", sku, "quantity", 12)).toList();
            send("receipt", reference, "/v1/inventory/receipts", warehouseToken,
                    Map.of("warehouse", WAREHOUSE, "reference", reference, "lines", lines), Map.of());
        }
    }

    private static Map<String, Object> order(String key, Random random) {
        List<Map<String, Object>> lines = new ArrayList<>();
        int first = random.nextInt(SKUS.size());
        int count = 1 + random.nextInt(2);
        for (int line = 0; line < count; line++) {
            lines.add(Map.of("sku", SKUS.get((first + line) % SKUS.size()), "quantity", 1 + random.nextInt(3), "unitPrice", "10.00"));
        }
        return Map.of("externalRef", key, "customerId", "C-" + random.nextInt(50), "currency", "USD", "warehouse", WAREHOUSE,
                "lines", lines);
    }

    History.Entry send(String kind, String key, String path, String token, Object body, Map<String, String> headers) {
        long start = System.currentTimeMillis();
        History.Entry entry;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(service.get().resolve(path))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            headers.forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            String note = status == 503 && response.headers().firstValue("Retry-After").isEmpty() ? "503 without Retry-After" : null;
            if (status >= 500 && status != 503) {
                note = response.body();
            }
            if (status == 503 && note == null && response.body().contains(OUTCOME_UNKNOWN)) {
                // the service says so itself: PostgreSQL failed during the commit and the order may be stored
                status = History.UNKNOWN;
                note = "503 " + OUTCOME_UNKNOWN;
            }
            entry = new History.Entry(kind, key, status, hash(response.body()), orderId(response), start,
                    System.currentTimeMillis(), note);
        } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
            // no connection, no request: a definite failure (the service is down or restarting)
            entry = new History.Entry(kind, key, History.REFUSED, "-", null, start, System.currentTimeMillis(), e.toString());
        } catch (IOException e) {
            entry = new History.Entry(kind, key, History.UNKNOWN, "-", null, start, System.currentTimeMillis(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            entry = new History.Entry(kind, key, History.UNKNOWN, "-", null, start, System.currentTimeMillis(), "interrupted");
        }
        history.record(entry);
        return entry;
    }

    private static String orderId(HttpResponse<String> response) {
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            return null;
        }
        Matcher matcher = ORDER_ID.matcher(response.body());
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String hash(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread thread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
