package dev.orderflow.orchestration.stock;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * The Redis half of try/confirm/cancel: reserve (try) for any number of orders of one warehouse in
 * one script call, confirm once their orders are committed, release (cancel) when they never were.
 */
public class Reservations {

    /** How long a reservation may stay pending before the sweeper may release it. */
    public static final Duration PENDING_DEADLINE = Duration.ofSeconds(30);
    /** An order must be committing within this time of its reservation, or it gives up (see OrderIntake). */
    public static final Duration COMMIT_WINDOW = Duration.ofSeconds(10);
    private static final Duration MARKER_TTL = Duration.ofHours(24);

    private static final LuaScript RESERVE = LuaScript.load("reserve.lua", ScriptOutputType.MULTI);
    private static final LuaScript RELEASE = LuaScript.load("release.lua", ScriptOutputType.INTEGER);
    private static final LuaScript CONFIRM = LuaScript.load("confirm.lua", ScriptOutputType.INTEGER);
    private static final LuaScript ADJUST = LuaScript.load("adjust.lua", ScriptOutputType.MULTI);
    private static final LuaScript REBUILD = LuaScript.load("rebuild.lua", ScriptOutputType.INTEGER);

    private final RedisClusterReactiveCommands<String, String> redis;
    private final Clock clock;

    public Reservations(RedisClusterReactiveCommands<String, String> redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /**
     * Reserves for every request, in order, in one round trip.
     *
     * @return one result per request, or empty when the warehouse's keys are missing (rebuild first)
     */
    public Mono<List<ReservationResult>> reserve(String warehouse, List<ReservationRequest> requests) {
        return reserve(warehouse, requests, List.of());
    }

    /**
     * Reserves for every request, in order, and confirms the reservations of {@code committed} orders
     * (as {@link #confirm} does), in one round trip. Confirmations are not made when the warehouse's
     * keys are missing: a rebuild drops every pending reservation anyway.
     *
     * @return one result per request, or empty when the warehouse's keys are missing (rebuild first)
     */
    public Mono<List<ReservationResult>> reserve(String warehouse, List<ReservationRequest> requests, Collection<UUID> committed) {
        WarehouseKeys keys = new WarehouseKeys(warehouse);
        List<String> keyList = new ArrayList<>(3 + 2 * requests.size() + committed.size());
        keyList.addAll(List.of(keys.generation(), keys.available(), keys.pending()));
        List<String> args = new ArrayList<>();
        args.add(Long.toString(clock.millis() + PENDING_DEADLINE.toMillis()));
        args.add(Long.toString(MARKER_TTL.toSeconds()));
        args.add(Integer.toString(committed.size()));
        committed.forEach(id -> args.add(id.toString()));
        for (ReservationRequest request : requests) {
            keyList.add(keys.reservation(request.orderId()));
            keyList.add(request.idempotencyMarker());
            args.add(request.orderId().toString());
            args.add(request.allOrNothing() ? "C" : "P");
            args.add(Integer.toString(request.lines().size()));
            for (ReservationRequest.Demand line : request.lines()) {
                args.add(line.sku());
                args.add(Integer.toString(line.quantity()));
            }
        }
        committed.forEach(id -> keyList.add(keys.reservation(id)));
        return RESERVE.<List<Object>>run(redis, keyList, args)
                .filter(answer -> !"MISSING".equals(answer.get(0)))
                .map(Reservations::parseReserveAnswer);
    }

    /** Gives back the units of orders that were never committed; safe to repeat. */
    public Mono<Long> release(String warehouse, Collection<UUID> orderIds) {
        if (orderIds.isEmpty()) {
            return Mono.just(0L);
        }
        WarehouseKeys keys = new WarehouseKeys(warehouse);
        List<String> keyList = new ArrayList<>(List.of(keys.generation(), keys.available(), keys.pending()));
        orderIds.forEach(id -> keyList.add(keys.reservation(id)));
        return RELEASE.run(redis, keyList, orderIds.stream().map(UUID::toString).toList());
    }

    /** Forgets the pending state of orders that are committed; their units stay taken. */
    public Mono<Long> confirm(String warehouse, Collection<UUID> orderIds) {
        if (orderIds.isEmpty()) {
            return Mono.just(0L);
        }
        WarehouseKeys keys = new WarehouseKeys(warehouse);
        List<String> keyList = new ArrayList<>(List.of(keys.pending()));
        orderIds.forEach(id -> keyList.add(keys.reservation(id)));
        return CONFIRM.run(redis, keyList, orderIds.stream().map(UUID::toString).toList());
    }

    /** Pending reservations whose deadline has passed: the sweeper's work list. */
    public Mono<List<UUID>> overdue(String warehouse, int limit) {
        return pendingUpTo(warehouse, clock.millis(), limit);
    }

    /** Every pending reservation of the warehouse, due or not: the reconciler's view. */
    public Mono<List<UUID>> pending(String warehouse) {
        return pendingUpTo(warehouse, Long.MAX_VALUE, Integer.MAX_VALUE);
    }

    private Mono<List<UUID>> pendingUpTo(String warehouse, long deadline, int limit) {
        return redis.zrangebyscore(new WarehouseKeys(warehouse).pending(), Range.create(0L, deadline), Limit.create(0, limit))
                .map(UUID::fromString)
                .collectList();
    }

    /**
     * Applies a change of on-hand to "available" if Redis is at {@code generation}.
     *
     * @param refuseShortfall refuse (answer {@link Adjustment.Short}) if it would leave less than zero available
     */
    public Mono<Adjustment> adjust(String warehouse, long generation, String sku, long delta, boolean refuseShortfall) {
        WarehouseKeys keys = new WarehouseKeys(warehouse);
        return ADJUST.<List<Object>>run(redis, List.of(keys.generation(), keys.available()),
                        List.of(Long.toString(generation), sku, Long.toString(delta), refuseShortfall ? "1" : "0"))
                .map(Reservations::parseAdjustAnswer);
    }

    /** Replaces the warehouse's keys with {@code availableBySku} under {@code generation}. */
    public Mono<Long> rebuild(String warehouse, long generation, Map<String, Long> availableBySku) {
        WarehouseKeys keys = new WarehouseKeys(warehouse);
        List<String> args = new ArrayList<>(1 + availableBySku.size() * 2);
        args.add(Long.toString(generation));
        availableBySku.forEach((sku, units) -> {
            args.add(sku);
            args.add(Long.toString(units));
        });
        return REBUILD.run(redis, List.of(keys.generation(), keys.available(), keys.pending()), args);
    }

    /** What Redis says is available per SKU, for the reconciler. */
    public Mono<Map<String, Long>> available(String warehouse) {
        return redis.hgetall(new WarehouseKeys(warehouse).available())
                .collectMap(entry -> entry.getKey(), entry -> Long.parseLong(entry.getValue()));
    }

    /** The generation Redis holds for the warehouse, or empty when its keys are missing. */
    public Mono<Long> generation(String warehouse) {
        return redis.get(new WarehouseKeys(warehouse).generation()).map(Long::parseLong);
    }

    /** Units held by the pending reservation of each of these orders, per SKU; an order without one is left out. */
    public Mono<Map<UUID, Map<String, Long>>> pendingUnitsByOrder(String warehouse, Collection<UUID> orderIds) {
        WarehouseKeys keys = new WarehouseKeys(warehouse);
        return reactor.core.publisher.Flux.fromIterable(orderIds)
                .concatMap(id -> redis.hgetall(keys.reservation(id))
                        .filter(entry -> !entry.getKey().startsWith("~"))
                        .collectMap(entry -> entry.getKey(), entry -> Long.parseLong(entry.getValue()))
                        .filter(units -> !units.isEmpty())
                        .map(units -> Map.entry(id, units)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    @SuppressWarnings("unchecked")
    private static List<ReservationResult> parseReserveAnswer(List<Object> answer) {
        List<ReservationResult> results = new ArrayList<>(answer.size());
        for (Object entry : answer) {
            results.add(parseOne((List<Object>) entry));
        }
        return results;
    }

    private static ReservationResult parseOne(List<Object> entry) {
        String status = (String) entry.get(0);
        switch (status) {
            case "DUP":
                return new ReservationResult.HeldByOtherOrder(UUID.fromString((String) entry.get(1)));
            case "UNKNOWN":
                return new ReservationResult.UnknownSkus(entry.subList(1, entry.size()).stream().map(String.class::cast).toList());
            case "OK":
                Map<String, Integer> units = new LinkedHashMap<>();
                for (int i = 2; i < entry.size(); i += 2) {
                    units.put((String) entry.get(i), toInt(entry.get(i + 1)));
                }
                return new ReservationResult.Reserved(Long.parseLong((String) entry.get(1)), units);
            default:
                throw new IllegalStateException("reserve.lua answered " + status);
        }
    }

    private static Adjustment parseAdjustAnswer(List<Object> answer) {
        return switch ((String) answer.get(0)) {
            case "OK" -> new Adjustment.Applied(toLong(answer.get(1)));
            case "SHORT" -> new Adjustment.Short(toLong(answer.get(1)));
            default -> new Adjustment.Stale();
        };
    }

    private static int toInt(Object value) {
        return (int) toLong(value);
    }

    private static long toLong(Object value) {
        return value instanceof Long number ? number : Long.parseLong(value.toString());
    }

    /** What Redis did with a change of on-hand. */
    public sealed interface Adjustment {
        /** Applied; {@code available} is the new figure. */
        record Applied(long available) implements Adjustment {
        }

        /** Refused: only {@code available} units are free. */
        record Short(long available) implements Adjustment {
        }

        /** Redis is at another generation (or empty): a rebuild counts the change instead. */
        record Stale() implements Adjustment {
        }
    }
}
