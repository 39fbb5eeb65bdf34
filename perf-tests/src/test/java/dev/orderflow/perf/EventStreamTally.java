package dev.orderflow.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.http.action.sse.SseInboundMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * What one channel's live event streams ({@code GET /v1/events}) received: events by type, the
 * orders they were about, and how long after the order was taken each event arrived (the event's
 * {@code timestamp} is the order's intake time, so the delay covers commit, the outbox poll and
 * the stream).
 */
final class EventStreamTally {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String channel;
    private final Map<String, Long> byType = new TreeMap<>();
    private final Set<String> orders = ConcurrentHashMap.newKeySet();
    private final Histogram delayMs = new Histogram(600_000, 3);
    private long unreadable;

    EventStreamTally(String channel) {
        this.channel = channel;
    }

    String channel() {
        return channel;
    }

    /** Takes the messages a stream received since the last call (Gatling's unmatched SSE messages). */
    void take(List<SseInboundMessage> messages) {
        for (SseInboundMessage message : messages) {
            take(message.timestamp(), message.message());
        }
    }

    private void take(long receivedAt, String message) {
        try {
            JsonNode event = JSON.readTree(message);
            JsonNode data = event.path("data");
            String type = event.path("event").asText("");
            String orderId = data.path("data").path("orderId").asText("");
            long sentAt = Instant.parse(data.path("timestamp").asText()).toEpochMilli();
            synchronized (this) {
                byType.merge(type, 1L, Long::sum);
                delayMs.recordValue(Math.min(Math.max(0, receivedAt - sentAt), 600_000));
            }
            if (!orderId.isEmpty()) {
                orders.add(orderId);
            }
        } catch (Exception e) {
            // a comment or an event of another shape: counted, never fatal to the stream
            synchronized (this) {
                unreadable++;
            }
        }
    }

    /** The distinct orders the stream told about. */
    int orders() {
        return orders.size();
    }

    synchronized long events() {
        return delayMs.getTotalCount();
    }

    synchronized long delayPercentile(double percentile) {
        return delayMs.getTotalCount() == 0 ? -1 : delayMs.getValueAtPercentile(percentile);
    }

    synchronized String describe() {
        return String.format(java.util.Locale.ROOT, "%,d events about %,d orders %s, delay after intake p50 %d ms, p99 %d ms, max %d ms%s",
                delayMs.getTotalCount(), orders.size(), byType, delayPercentile(50), delayPercentile(99),
                delayMs.getTotalCount() == 0 ? -1 : delayMs.getMaxValue(), unreadable == 0 ? "" : ", " + unreadable + " unreadable");
    }
}
