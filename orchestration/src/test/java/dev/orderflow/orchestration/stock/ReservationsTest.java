package dev.orderflow.orchestration.stock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.orchestration.stock.ReservationRequest.Demand;
import dev.orderflow.orchestration.stock.ReservationResult.HeldByOtherOrder;
import dev.orderflow.orchestration.stock.ReservationResult.Reserved;
import dev.orderflow.orchestration.stock.ReservationResult.UnknownSkus;
import dev.orderflow.orchestration.stock.Reservations.Adjustment;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * The reservation scripts and their Java side against a real redis-server: partial and
 * ship-complete allocation, unknown SKUs, idempotency markers, replays, release, confirmation,
 * deadlines, adjustments under a generation, and rebuilds. Each test has a warehouse of its own.
 */
class ReservationsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static RedisServer server;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisReactiveCommands<String, String> redis;

    private final Reservations reservations = new Reservations(redis, Clock.fixed(NOW, ZoneOffset.UTC));
    private String warehouse;
    private WarehouseKeys keys;

    @BeforeAll
    static void startRedis() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
        server.start();
        client = RedisClient.create("redis://127.0.0.1:" + port);
        connection = client.connect();
        redis = connection.reactive();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        connection.close();
        client.shutdown();
        server.stop();
    }

    @BeforeEach
    void aLoadedWarehouse() {
        warehouse = "W-" + UUID.randomUUID();
        keys = new WarehouseKeys(warehouse);
        assertThat(reservations.rebuild(warehouse, 7, Map.of("A", 10L, "B", 3L)).block(WAIT)).isZero();
    }

    @Test
    void aPartialOrderTakesWhatIsThereAndTwoLinesOfOneSkuShareTheStock() {
        ReservationResult result = reserveOne(request(UUID.randomUUID(), false, new Demand("A", 6), new Demand("B", 5), new Demand("A", 6)));

        assertThat(result).isEqualTo(new Reserved(7, Map.of("A", 10, "B", 3)));
        assertThat(available()).isEqualTo(Map.of("A", 0L, "B", 0L));
    }

    @Test
    void aShipCompleteOrderTakesEverythingOrNothing() {
        ReservationResult short_ = reserveOne(request(UUID.randomUUID(), true, new Demand("A", 2), new Demand("B", 4)));
        ReservationResult whole = reserveOne(request(UUID.randomUUID(), true, new Demand("A", 2), new Demand("B", 3)));

        assertThat(short_).isEqualTo(new Reserved(7, Map.of("A", 0, "B", 0)));
        assertThat(whole).isEqualTo(new Reserved(7, Map.of("A", 2, "B", 3)));
        assertThat(available()).isEqualTo(Map.of("A", 8L, "B", 0L));
    }

    @Test
    void unknownSkusReserveNothing() {
        ReservationResult result = reserveOne(request(UUID.randomUUID(), false, new Demand("A", 1), new Demand("X", 1), new Demand("Y", 2)));

        assertThat(result).isEqualTo(new UnknownSkus(List.of("X", "Y")));
        assertThat(available()).isEqualTo(Map.of("A", 10L, "B", 3L));
    }

    @Test
    void severalOrdersInOneCallAreServedInTheirOrder() {
        List<ReservationResult> results = reservations.reserve(warehouse, List.of(
                request(UUID.randomUUID(), false, new Demand("B", 2)),
                request(UUID.randomUUID(), false, new Demand("B", 2)),
                request(UUID.randomUUID(), false, new Demand("Z", 1)))).block(WAIT);

        assertThat(results).containsExactly(new Reserved(7, Map.of("B", 2)), new Reserved(7, Map.of("B", 1)), new UnknownSkus(List.of("Z")));
    }

    @Test
    void reservingTwiceForOneOrderAnswersTheFirstAllocationAndTakesNothingMore() {
        UUID order = UUID.randomUUID();
        ReservationRequest request = request(order, false, new Demand("A", 4));

        ReservationResult first = reserveOne(request);
        ReservationResult again = reserveOne(request);

        assertThat(again).isEqualTo(first).isEqualTo(new Reserved(7, Map.of("A", 4)));
        assertThat(available()).containsEntry("A", 6L);
    }

    @Test
    void anIdempotencyKeyHeldByAnotherOrderIsAnsweredWithThatOrder() {
        UUID principal = UUID.randomUUID();
        String marker = keys.idempotencyMarker(principal, "key-1");
        UUID first = UUID.randomUUID();
        reserveOne(new ReservationRequest(first, false, marker, List.of(new Demand("A", 1))));

        ReservationResult twin = reserveOne(new ReservationRequest(UUID.randomUUID(), false, marker, List.of(new Demand("A", 1))));
        ReservationResult otherKey = reserveOne(new ReservationRequest(UUID.randomUUID(), false,
                keys.idempotencyMarker(principal, "key-2"), List.of(new Demand("A", 1))));

        assertThat(twin).isEqualTo(new HeldByOtherOrder(first));
        assertThat(otherKey).isInstanceOf(Reserved.class);
        assertThat(available()).containsEntry("A", 8L);
    }

    @Test
    void idempotencyMarkersAreOnePerPrincipalAndKeyInTheWarehouseSlot() {
        UUID principal = UUID.randomUUID();
        String marker = keys.idempotencyMarker(principal, "key-1");

        assertThat(marker).startsWith("{wh:" + warehouse + "}:idem:").hasSize(("{wh:" + warehouse + "}:idem:").length() + 32);
        assertThat(keys.idempotencyMarker(principal, "key-1")).isEqualTo(marker);
        assertThat(keys.idempotencyMarker(principal, "key-2")).isNotEqualTo(marker);
        assertThat(keys.idempotencyMarker(UUID.randomUUID(), "key-1")).isNotEqualTo(marker);
        assertThat(new WarehouseKeys("other").idempotencyMarker(principal, "key-1")).isNotEqualTo(marker);
    }

    @Test
    void aReleaseGivesTheUnitsBackAndFreesTheKey() {
        String marker = keys.idempotencyMarker(UUID.randomUUID(), "key-1");
        UUID order = UUID.randomUUID();
        reserveOne(new ReservationRequest(order, false, marker, List.of(new Demand("A", 4), new Demand("B", 1))));

        assertThat(reservations.release(warehouse, List.of(order, UUID.randomUUID())).block(WAIT)).isEqualTo(1);
        assertThat(reservations.release(warehouse, List.of(order)).block(WAIT)).as("safe to repeat").isZero();
        assertThat(reservations.release(warehouse, List.of()).block(WAIT)).isZero();

        assertThat(available()).isEqualTo(Map.of("A", 10L, "B", 3L));
        assertThat(reservations.pending(warehouse).block(WAIT)).isEmpty();
        assertThat(reserveOne(new ReservationRequest(UUID.randomUUID(), false, marker, List.of(new Demand("A", 1)))))
                .as("the key is free again").isInstanceOf(Reserved.class);
    }

    @Test
    void aReservationFromAnEarlierGenerationIsDroppedWithoutGivingUnitsBack() {
        UUID order = UUID.randomUUID();
        reserveOne(request(order, false, new Demand("A", 4)));
        // a rebuild counts from PostgreSQL: the order was not committed, so its units are free again there
        reservations.rebuild(warehouse, 8, Map.of("A", 10L, "B", 3L)).block(WAIT);

        assertThat(reservations.release(warehouse, List.of(order)).block(WAIT)).isZero();
        assertThat(available()).containsEntry("A", 10L);
    }

    @Test
    void aRebuildDropsStalePendingReservationsAndTheirKeys() {
        String marker = keys.idempotencyMarker(UUID.randomUUID(), "key-1");
        UUID order = UUID.randomUUID();
        reserveOne(new ReservationRequest(order, false, marker, List.of(new Demand("A", 4))));

        assertThat(reservations.rebuild(warehouse, 8, Map.of("C", 5L)).block(WAIT)).isEqualTo(1);

        assertThat(reservations.generation(warehouse).block(WAIT)).isEqualTo(8);
        assertThat(available()).isEqualTo(Map.of("C", 5L));
        assertThat(reservations.pending(warehouse).block(WAIT)).isEmpty();
        assertThat(reservations.pendingUnitsByOrder(warehouse, List.of(order)).block(WAIT)).isEmpty();
        assertThat(redis.exists(marker).block(WAIT)).isZero();
    }

    @Test
    void aConfirmedReservationKeepsItsUnitsAndIsNoLongerPending() {
        UUID kept = UUID.randomUUID();
        UUID open = UUID.randomUUID();
        reserveOne(request(kept, false, new Demand("A", 4)));
        reserveOne(request(open, false, new Demand("A", 1)));

        assertThat(reservations.confirm(warehouse, List.of(kept)).block(WAIT)).isEqualTo(1);
        assertThat(reservations.confirm(warehouse, List.of()).block(WAIT)).isZero();

        assertThat(reservations.pending(warehouse).block(WAIT)).containsExactly(open);
        assertThat(reservations.release(warehouse, List.of(kept)).block(WAIT)).as("nothing left to release").isZero();
        assertThat(available()).containsEntry("A", 5L);
    }

    @Test
    void theNextReservationCallConfirmsCommittedOrdersOnTheWay() {
        UUID committed = UUID.randomUUID();
        reserveOne(request(committed, false, new Demand("A", 2)));
        UUID next = UUID.randomUUID();

        List<ReservationResult> results = reservations.reserve(warehouse, List.of(request(next, false, new Demand("A", 1))),
                List.of(committed)).block(WAIT);

        assertThat(results).containsExactly(new Reserved(7, Map.of("A", 1)));
        assertThat(reservations.pending(warehouse).block(WAIT)).containsExactly(next);
        assertThat(reservations.pendingUnitsByOrder(warehouse, List.of(committed)).block(WAIT)).as("its reservation is forgotten").isEmpty();
        assertThat(reservations.pendingUnitsByOrder(warehouse, List.of(next)).block(WAIT)).isEqualTo(Map.of(next, Map.of("A", 1L)));
        assertThat(reservations.generation(warehouse).block(WAIT)).isEqualTo(7);
        assertThat(available()).containsEntry("A", 7L);
    }

    @Test
    void everyKeyOfAWarehouseCarriesItsHashTagSoOneScriptCanTouchThemAllOnACluster() {
        WarehouseKeys w1 = new WarehouseKeys("W1");
        UUID order = UUID.fromString("01a202db-0000-7000-8000-000000000001");

        // the names operators and the README use: {wh:W1}:avail and so on
        assertThat(List.of(w1.generation(), w1.available(), w1.pending(), w1.reservation(order), w1.noMarker()))
                .containsExactly("{wh:W1}:gen", "{wh:W1}:avail", "{wh:W1}:pending", "{wh:W1}:res:" + order, "{wh:W1}:gen");
        assertThat(w1.idempotencyMarker(order, "k")).startsWith("{wh:W1}:idem:");
    }

    @Test
    void pendingReservationsAreOverdueOnlyAfterTheirDeadline() {
        UUID order = UUID.randomUUID();
        reserveOne(request(order, false, new Demand("A", 1)));
        Instant deadline = NOW.plus(Reservations.PENDING_DEADLINE);

        assertThat(at(deadline.minusMillis(1)).overdue(warehouse, 10).block(WAIT)).isEmpty();
        assertThat(at(deadline).overdue(warehouse, 10).block(WAIT)).containsExactly(order);
        assertThat(at(deadline.plusSeconds(60)).overdue(warehouse, 0).block(WAIT)).as("limit").isEmpty();
        assertThat(reservations.pendingUnitsByOrder(warehouse, List.of(order)).block(WAIT)).isEqualTo(Map.of(order, Map.of("A", 1L)));
    }

    @Test
    void aWarehouseThatIsNotLoadedAnswersNothing() {
        String empty = "W-" + UUID.randomUUID();

        assertThat(reservations.reserve(empty, List.of(request(UUID.randomUUID(), false, new Demand("A", 1)))).blockOptional(WAIT)).isEmpty();
        assertThat(reservations.generation(empty).blockOptional(WAIT)).isEmpty();
    }

    @Test
    void anAdjustmentAppliesOnlyAtTheGenerationItWasCountedIn() {
        assertThat(reservations.adjust(warehouse, 7, "A", 5, false).block(WAIT)).isEqualTo(new Adjustment.Applied(15));
        assertThat(reservations.adjust(warehouse, 6, "A", 5, false).block(WAIT)).isEqualTo(new Adjustment.Stale());
        assertThat(reservations.adjust(warehouse, 7, "B", -4, true).block(WAIT)).isEqualTo(new Adjustment.Short(3));
        assertThat(reservations.adjust(warehouse, 7, "B", -3, true).block(WAIT)).isEqualTo(new Adjustment.Applied(0));
        assertThat(reservations.adjust(warehouse, 7, "B", -2, false).block(WAIT)).isEqualTo(new Adjustment.Applied(-2));
        assertThat(reservations.adjust(warehouse, 7, "N", 4, true).block(WAIT)).as("a new SKU").isEqualTo(new Adjustment.Applied(4));
        assertThat(available()).isEqualTo(Map.of("A", 15L, "B", -2L, "N", 4L));
    }

    @Test
    void negativeAvailabilityCountsAsNone() {
        reservations.adjust(warehouse, 7, "B", -5, false).block(WAIT);

        assertThat(reserveOne(request(UUID.randomUUID(), false, new Demand("B", 1)))).isEqualTo(new Reserved(7, Map.of("B", 0)));
        assertThat(available()).containsEntry("B", -2L);
    }

    private ReservationResult reserveOne(ReservationRequest request) {
        List<ReservationResult> results = reservations.reserve(warehouse, List.of(request)).block(WAIT);
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    private ReservationRequest request(UUID order, boolean allOrNothing, Demand... lines) {
        return new ReservationRequest(order, allOrNothing, keys.noMarker(), List.of(lines));
    }

    private Reservations at(Instant instant) {
        return new Reservations(redis, Clock.fixed(instant, ZoneOffset.UTC));
    }

    private Map<String, Long> available() {
        return reservations.available(warehouse).block(WAIT);
    }
}
