package dev.orderflow.api.chaos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A partner's webhook endpoint: records the {@code webhook-id} of every delivery and the body it
 * came with (an id must always carry the same event), and can be taken down (503 to everything).
 */
final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> bodyById = new ConcurrentHashMap<>();
    private final Set<String> unstableIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean down;

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/hooks", receiver::handle);
            server.setExecutor(Executors.newFixedThreadPool(8, runnable -> {
                Thread thread = new Thread(runnable, "chaos-webhook-receiver");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    void down() {
        down = true;
    }

    void up() {
        down = false;
    }

    /** The event ids delivered at least once. */
    Set<String> ids() {
        return Set.copyOf(bodyById.keySet());
    }

    /** Ids that arrived twice with different bodies: the id was not stable. */
    Set<String> unstableIds() {
        return Set.copyOf(unstableIds);
    }

    long deliveries() {
        return deliveries.get();
    }

    long refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (down) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (id == null) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            deliveries.incrementAndGet();
            String text = new String(body, StandardCharsets.UTF_8);
            String earlier = bodyById.putIfAbsent(id, text);
            if (earlier != null && !earlier.equals(text)) {
                unstableIds.add(id);
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
