package dev.orderflow.api.chaos;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Checks, once the faults have healed and the load has stopped, what must hold whatever broke:
 * against PostgreSQL (the truth), Redis, the webhook receiver and the history of answers. Each
 * invariant reports how many violations it found and a few examples.
 */
final class Checker {

    /** One invariant's verdict. */
    record Verdict(String invariant, long violations, String detail) {
    }

    private final PostgresServer postgres;
    private final RedisServerProcess redis;
    private final WebhookReceiver receiver;
    private final List<History.Entry> history;
    private final Map<String, Long> numbers = new LinkedHashMap<>();

    Checker(PostgresServer postgres, RedisServerProcess redis, WebhookReceiver receiver, List<History.Entry> history) {
        this.postgres = postgres;
        this.redis = redis;
        this.receiver = receiver;
        this.history = history;
    }

    /** The counts the report's table shows (lost, duplicates, oversold units and so on). */
    Map<String, Long> numbers() {
        return numbers;
    }

    /** Waits (up to {@code patience}) for the engine and the webhooks to settle, then judges every invariant. */
    List<Verdict> check(Duration patience) {
        Instant deadline = Instant.now().plus(patience);
        List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(everyAcceptedOrderExists());
        verdicts.add(oneOrderPerIdempotencyKey());
        verdicts.add(nothingKeptAfterARefusal());
        verdicts.add(onlyOutagesAnswer5xx());
        verdicts.add(nothingOversold());
        verdicts.add(settled("no order stuck in a non-final state", deadline, this::stuckOrders));
        verdicts.add(settled("Redis available == on-hand - open reservations (PostgreSQL)", deadline, this::stockDrift));
        verdicts.add(settled("every event delivered to the webhook at least once", deadline, this::undeliveredEvents));
        verdicts.add(stableEventIds());
        return verdicts;
    }

    private Verdict everyAcceptedOrderExists() {
        Set<String> stored = orderIdByKey().values().stream().collect(Collectors.toSet());
        Set<String> answered = orders().filter(History.Entry::succeeded).map(History.Entry::orderId).collect(Collectors.toSet());
        List<String> lost = answered.stream().filter(id -> id == null || !stored.contains(id)).toList();
        numbers.put("lost", (long) lost.size());
        return new Verdict("every 2xx order exists in PostgreSQL", lost.size(), examples(lost));
    }

    private Verdict oneOrderPerIdempotencyKey() {
        Map<String, String> stored = orderIdByKey();
        List<String> duplicates = new ArrayList<>();
        orders().filter(History.Entry::succeeded)
                .collect(Collectors.groupingBy(History.Entry::key, Collectors.mapping(History.Entry::orderId, Collectors.toSet())))
                .forEach((key, ids) -> {
                    if (ids.size() > 1 || (stored.containsKey(key) && !ids.contains(stored.get(key)))) {
                        duplicates.add(key + " -> " + ids + " stored " + stored.get(key));
                    }
                });
        long perRef = postgres.count("SELECT count(*) FROM (SELECT external_ref FROM orders GROUP BY external_ref HAVING count(*) > 1) d");
        long perKey = postgres.count("SELECT count(*) FROM (SELECT order_id FROM idempotency_record WHERE order_id IS NOT NULL "
                + "GROUP BY order_id HAVING count(*) > 1) d");
        long total = duplicates.size() + perRef + perKey;
        numbers.put("duplicates", total);
        return new Verdict("at most one order per idempotency key", total,
                examples(duplicates) + (perRef + perKey > 0 ? " in PostgreSQL: " + perRef + " refs, " + perKey + " keys" : ""));
    }

    /** A key answered only with definite refusals (no 2xx, no unknown outcome) must have left nothing. */
    private Verdict nothingKeptAfterARefusal() {
        Map<String, List<History.Entry>> byKey = orders().collect(Collectors.groupingBy(History.Entry::key));
        Map<String, String> stored = orderIdByKey();
        List<String> phantoms = byKey.entrySet().stream()
                .filter(entry -> entry.getValue().stream().noneMatch(e -> e.succeeded() || e.unknown()))
                .filter(entry -> stored.containsKey(entry.getKey()))
                .map(entry -> entry.getKey() + " answered " + entry.getValue().stream().map(History.Entry::status).toList())
                .toList();
        numbers.put("kept after refusal", (long) phantoms.size());
        return new Verdict("after a non-2xx answer nothing of the request remains", phantoms.size(), examples(phantoms));
    }

    private Verdict onlyOutagesAnswer5xx() {
        List<String> bad = history.stream()
                .filter(entry -> entry.status() >= 500 && (entry.status() != 503 || entry.note() != null))
                .map(entry -> entry.kind() + " " + entry.key() + " " + entry.status() + " " + entry.note())
                .toList();
        numbers.put("5xx other than 503 with Retry-After", (long) bad.size());
        return new Verdict("a dependency outage is 503 with Retry-After, never another 5xx", bad.size(), examples(bad));
    }

    private Verdict nothingOversold() {
        List<String> oversold = new ArrayList<>();
        long units = 0;
        for (Map<String, Object> row : postgres.rows("SELECT s.sku, s.on_hand, coalesce(sum(l.reserved + l.shipped), 0) AS reserved "
                + "FROM stock_item s LEFT JOIN order_line l ON l.warehouse = s.warehouse AND l.sku = s.sku "
                + "GROUP BY s.sku, s.on_hand ORDER BY s.sku")) {
            long onHand = ((Number) row.get("on_hand")).longValue();
            long reserved = ((Number) row.get("reserved")).longValue();
            if (reserved < 0 || reserved > onHand) {
                oversold.add(row.get("sku") + " reserved " + reserved + " of " + onHand);
                units += Math.max(0, reserved - onHand);
            }
        }
        numbers.put("oversold units", units);
        return new Verdict("0 <= reserved <= on-hand for every SKU", oversold.size(), examples(oversold));
    }

    private List<String> stuckOrders() {
        List<String> stuck = new ArrayList<>();
        postgres.rows("SELECT o.external_ref, o.status, s.kind, s.state, s.attempts, s.last_error FROM step s JOIN orders o ON o.id = s.order_id "
                + "WHERE s.state IN ('PENDING', 'RUNNING', 'FAILED') LIMIT 20")
                .forEach(row -> stuck.add("step " + row));
        postgres.rows("SELECT external_ref, status FROM orders WHERE status IN ('ACCEPTED', 'EXCEPTION') LIMIT 20")
                .forEach(row -> stuck.add("order " + row));
        return stuck;
    }

    private List<String> stockDrift() {
        String warehouse = Load.WAREHOUSE;
        if (redis.withRedis(commands -> commands.exists("{wh:" + warehouse + "}:gen")) == 0) {
            // not loaded (a flush with no order since): the next order rebuilds it from PostgreSQL
            return List.of();
        }
        Map<String, String> available = redis.hash("{wh:" + warehouse + "}:avail");
        List<String> drift = new ArrayList<>();
        for (Map<String, Object> row : postgres.rows("SELECT s.sku, s.on_hand - coalesce(sum(l.reserved), 0) AS available "
                + "FROM stock_item s LEFT JOIN order_line l ON l.warehouse = s.warehouse AND l.sku = s.sku "
                + "WHERE s.warehouse = ? GROUP BY s.sku, s.on_hand", warehouse)) {
            String sku = (String) row.get("sku");
            long expected = ((Number) row.get("available")).longValue();
            String inRedis = available.get(sku);
            if (inRedis == null || Long.parseLong(inRedis) != expected) {
                drift.add(sku + ": Redis " + inRedis + ", PostgreSQL " + expected);
            }
        }
        return drift;
    }

    private List<String> undeliveredEvents() {
        Set<String> delivered = receiver.ids();
        return postgres.rows("SELECT id::text AS id, type FROM order_event").stream()
                .filter(row -> !delivered.contains((String) row.get("id")))
                .map(row -> row.get("id") + " " + row.get("type"))
                .toList();
    }

    private Verdict stableEventIds() {
        Set<String> events = postgres.rows("SELECT id::text AS id FROM order_event").stream().map(row -> (String) row.get("id"))
                .collect(Collectors.toSet());
        List<String> bad = new ArrayList<>(receiver.unstableIds());
        receiver.ids().stream().filter(id -> !events.contains(id)).forEach(id -> bad.add(id + " is no event"));
        numbers.put("events", (long) events.size());
        numbers.put("webhook deliveries", receiver.deliveries());
        return new Verdict("webhook ids are the events' ids, stable across redeliveries", bad.size(), examples(bad));
    }

    /** Polls until {@code violations} is empty or the deadline passes: these settle after the faults. */
    private static Verdict settled(String invariant, Instant deadline, Supplier<List<String>> violations) {
        AtomicReference<List<String>> found = new AtomicReference<>(violations.get());
        Duration left = Duration.between(Instant.now(), deadline);
        if (!found.get().isEmpty() && !left.isNegative() && !left.isZero()) {
            try {
                await(invariant).atMost(left).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    found.set(violations.get());
                    return found.get().isEmpty();
                });
            } catch (ConditionTimeoutException stillViolated) {
                // reported below, with the violations the last look found
            }
        }
        return new Verdict(invariant, found.get().size(), examples(found.get()));
    }

    private java.util.stream.Stream<History.Entry> orders() {
        return history.stream().filter(entry -> entry.kind().equals("order"));
    }

    /** Idempotency key (= external ref in this load) -> the order stored for it. */
    private Map<String, String> orderIdByKey() {
        Map<String, String> byKey = new HashMap<>();
        postgres.rows("SELECT external_ref, id::text AS id FROM orders")
                .forEach(row -> byKey.put((String) row.get("external_ref"), (String) row.get("id")));
        return byKey;
    }

    private static String examples(List<String> found) {
        return found.isEmpty() ? "" : found.stream().limit(5).collect(Collectors.joining("; ")) + (found.size() > 5 ? "; ..." : "");
    }
}
