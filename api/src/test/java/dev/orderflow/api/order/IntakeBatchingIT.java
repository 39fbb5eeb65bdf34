package dev.orderflow.api.order;

import static dev.orderflow.api.support.OrderflowClient.order;
import static dev.orderflow.api.support.OrderflowClient.postReactive;
import static dev.orderflow.api.support.StockAssertions.assertStockConsistent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderflowClient.Answer;
import dev.orderflow.orchestration.order.FulfillmentPolicy;
import dev.orderflow.orchestration.order.IntakeResult;
import dev.orderflow.orchestration.order.InvoicingPolicy;
import dev.orderflow.orchestration.order.OrderDraft;
import dev.orderflow.orchestration.order.OrderIntake;
import dev.orderflow.orchestration.order.OrderLineDraft;
import dev.orderflow.orchestration.support.DomainException;
import dev.orderflow.orchestration.support.Ids;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Micro-batched intake seen from outside: orders that wait together are stored in one batch, each
 * order of a batch is still answered on its own merits, and when more wait than intake takes on,
 * new orders are shed at once with 503 and {@code Retry-After}, leaving nothing behind.
 *
 * <p>To make orders wait together for certain, the test holds the warehouse's stock lock (the
 * advisory lock every intake commit takes, shared) from a connection of its own: the first batches
 * reserve and then wait on it, filling every in-flight slot, and what comes next queues.
 */
class IntakeBatchingIT extends IntegrationTest {

    /** The failsafe configuration sets orderflow.intake.max-in-flight and max-queued to these. */
    private static final int IN_FLIGHT = 4;
    private static final int MAX_QUEUED = 64;

    @Autowired
    DatabaseClient db;

    @Autowired
    RedisClusterReactiveCommands<String, String> redis;

    @Autowired
    MeterRegistry meters;

    @Autowired
    OrderIntake intake;

    String warehouse;
    String plenty;
    String scarce;
    String token;
    WebClient client;

    @BeforeEach
    void stock() {
        warehouse = unique("W");
        plenty = unique("PLENTY");
        scarce = unique("SCARCE");
        stock(warehouse, plenty, 1_000);
        stock(warehouse, scarce, 1);
        token = channelToken();
        client = WebClient.builder().baseUrl("http://localhost:" + port).build();
    }

    @Test
    void ordersThatWaitTogetherAreStoredInOneBatchEachAnsweredOnItsOwn() throws Exception {
        List<Mono<Answer>> burst = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            burst.add(post("plain-" + i, order("PO-PLAIN-" + i, warehouse, plenty, 1)));
        }
        burst.add(post("twin-a", order("PO-TWIN", warehouse, plenty, 1)));
        burst.add(post("twin-b", order("PO-TWIN", warehouse, plenty, 2)));
        burst.add(post("same-key", order("PO-SAME-KEY", warehouse, plenty, 3)));
        burst.add(post("same-key", order("PO-SAME-KEY", warehouse, plenty, 3)));
        burst.add(post("unknown", order("PO-UNKNOWN", warehouse, plenty, 1, "NO-SUCH-SKU", 1)));
        burst.add(post("scarce-1", order("PO-SCARCE-1", warehouse, scarce, 1)));
        burst.add(post("scarce-2", order("PO-SCARCE-2", warehouse, scarce, 1)));
        double batchesBefore = batches().count();
        double ordersBefore = batches().totalAmount();

        List<Answer> answers;
        try (WarehouseHold hold = new WarehouseHold()) {
            List<Mono<Answer>> blockers = fillEveryInFlightSlot(batchesBefore);
            answers = sendWhileHeld(burst, hold);
            assertThat(Flux.merge(blockers).collectList().block(Duration.ofSeconds(30)))
                    .allSatisfy(answer -> assertThat(answer.status()).isEqualTo(201));
        }

        // the burst waited together and went as one batch: IN_FLIGHT lone blockers, then one of 17
        assertThat(batches().count() - batchesBefore).isEqualTo(IN_FLIGHT + 1);
        assertThat(batches().totalAmount() - ordersBefore).isEqualTo(IN_FLIGHT + burst.size());
        assertThat(answers.subList(0, 10)).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(201);
            assertThat(answer.body().get("status")).isEqualTo("ACCEPTED");
        });
        Answer twinA = answers.get(10);
        Answer twinB = answers.get(11);
        assertThat(List.of(twinA.status(), twinB.status())).containsExactlyInAnyOrder(201, 409);
        Answer twinStored = twinA.status() == 201 ? twinA : twinB;
        Answer twinRefused = twinA.status() == 201 ? twinB : twinA;
        assertThat(twinRefused.body()).containsEntry("type", problemType("duplicate-external-ref"))
                .containsEntry("existingOrderId", twinStored.body().get("id"));
        // the second request with the key waited for the first's commit and gets its order
        assertThat(answers.get(12).status()).isEqualTo(201);
        assertThat(answers.get(13).status()).isEqualTo(201);
        assertThat(answers.get(13).body().get("id")).isEqualTo(answers.get(12).body().get("id"));
        assertThat(answers.get(14).status()).isEqualTo(422);
        assertThat(List.of(answers.get(15).body().get("status"), answers.get(16).body().get("status")))
                .containsExactlyInAnyOrder("ACCEPTED", "BACKORDERED");
        // what was refused left nothing: no key record, no order, no units held
        assertThat(keysStored(List.of(twinRefused == twinA ? "twin-a" : "twin-b", "unknown"))).isZero();
        assertThat(ordersWithRef("PO-TWIN")).isEqualTo(1);
        assertThat(ordersWithRef("PO-SAME-KEY")).isEqualTo(1);
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void whenMoreWaitThanIntakeTakesOnNewOrdersAreShedAndLeaveNothingBehind() throws Exception {
        List<Mono<Answer>> queued = new ArrayList<>();
        for (int i = 0; i < MAX_QUEUED; i++) {
            queued.add(post("queued-" + i, order("PO-Q-" + i, warehouse, plenty, 1)));
        }
        double batchesBefore = batches().count();

        List<Answer> shed = new ArrayList<>();
        List<Answer> taken;
        try (WarehouseHold hold = new WarehouseHold()) {
            List<Mono<Answer>> blockers = fillEveryInFlightSlot(batchesBefore);
            List<Mono<Answer>> waiting = queued.stream().map(Mono::cache).toList();
            waiting.forEach(Mono::subscribe);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queuedNow() == MAX_QUEUED);
            for (int i = 0; i < 5; i++) {
                shed.add(post("shed-" + i, order("PO-SHED-" + i, warehouse, plenty, 1)).block(Duration.ofSeconds(5)));
            }
            hold.release();
            taken = Flux.concat(waiting).collectList().block(Duration.ofSeconds(30));
            Flux.merge(blockers).blockLast(Duration.ofSeconds(30));
        }

        assertThat(shed).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.headers().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
            assertThat(answer.body()).containsEntry("type", problemType("overloaded")).containsEntry("status", 503);
        });
        assertThat(taken).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(201));
        assertThat(keysStored(List.of("shed-0", "shed-1", "shed-2", "shed-3", "shed-4"))).isZero();
        // nothing remained of a shed order: the same key is simply taken now
        Answer retried = post("shed-0", order("PO-SHED-0", warehouse, plenty, 1)).block(Duration.ofSeconds(10));
        assertThat(retried.status()).isEqualTo(201);
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void anOrderPostgresRefusesFailsAloneAndTheRestOfItsBatchIsStored() throws Exception {
        // a discount of 1000% passes no channel's validation, but this draft goes to intake directly;
        // PostgreSQL refuses it (numeric(7,4) overflow), which fails the batch's first transaction
        List<OrderDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            drafts.add(draft("direct-" + i, BigDecimal.ZERO));
        }
        drafts.add(2, draft("poison", new BigDecimal("1000")));
        double batchesBefore = batches().count();

        List<Mono<IntakeResult>> results;
        try (WarehouseHold hold = new WarehouseHold()) {
            List<Mono<Answer>> blockers = fillEveryInFlightSlot(batchesBefore);
            results = drafts.stream().map(draft -> intake.accept(draft, order -> "{}").cache()).toList();
            results.forEach(result -> result.subscribe(ok -> { }, error -> { }));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queuedNow() == drafts.size());
            hold.release();
            Flux.merge(blockers).blockLast(Duration.ofSeconds(30));
        }

        for (int i = 0; i < drafts.size(); i++) {
            Mono<IntakeResult> result = results.get(i);
            if (i == 2) {
                assertThatThrownBy(() -> result.block(Duration.ofSeconds(30))).isNotInstanceOf(DomainException.class);
            } else {
                assertThat(result.block(Duration.ofSeconds(30))).isInstanceOf(IntakeResult.Created.class);
            }
        }
        assertThat(keysStored(List.of("direct-0", "direct-1", "direct-2", "direct-3", "direct-4"))).isEqualTo(5);
        assertThat(keysStored(List.of("poison"))).isZero();
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void anOrderReservedBeforeTheStockWasReloadedIsNotStored() throws Exception {
        // the warehouse's first order loads it into Redis (which waits for the lock too): have that done
        assertThat(post("loaded", order("PO-LOADED", warehouse, plenty, 1)).block(Duration.ofSeconds(10)).status()).isEqualTo(201);
        Answer answer;
        try (WarehouseHold hold = new WarehouseHold()) {
            Mono<Answer> sent = post("reloaded", order("PO-RELOADED", warehouse, plenty, 1)).cache();
            sent.subscribe();
            // reserved in Redis against the current generation, now waiting for the lock to commit
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waitingForAdvisoryLock() == 1);
            // meanwhile the warehouse is reloaded elsewhere: PostgreSQL's generation moves on
            hold.commitAfter("UPDATE stock_generation SET generation = generation + 1 WHERE warehouse = ?");
            answer = sent.block(Duration.ofSeconds(30));
        }

        // its retry reserved against Redis's generation, still the old one: stale again, and told so
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
        assertThat(keysStored(List.of("reloaded"))).isZero();
        assertThat(ordersWithRef("PO-RELOADED")).isZero();
        db.sql("UPDATE stock_generation SET generation = generation - 1 WHERE warehouse = :w").bind("w", warehouse)
                .then().block(Duration.ofSeconds(5));
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void theIntakeCallStoresNothingWhenItWaitedForTheLockLongerThanWhatWasLeftOfItsCommitWindow() throws Exception {
        assertThat(post("budget-loaded", order("PO-BUDGET-LOADED", warehouse, plenty, 1)).block(Duration.ofSeconds(10)).status())
                .isEqualTo(201);
        long generation = db.sql("SELECT generation FROM stock_generation WHERE warehouse = :w").bind("w", warehouse)
                .map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(5));
        Mono<Long> shortBudget = intakeGeneration(300).cache();
        Mono<Long> longBudget = intakeGeneration(60_000).cache();
        try (WarehouseHold hold = new WarehouseHold()) {
            shortBudget.subscribe();
            longBudget.subscribe();
            // both wait for the lock, for longer than the short budget
            Awaitility.await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(10)).until(() -> waitingForAdvisoryLock() == 2);
        }

        // -1 is no reservation's generation: intake_store stores nothing, as when the stock was reloaded
        assertThat(shortBudget.block(Duration.ofSeconds(10))).isEqualTo(-1L);
        assertThat(longBudget.block(Duration.ofSeconds(10))).isEqualTo(generation);
    }

    /** What intake's call runs first: the stock lock, shared, then the generation (V7__intake_store.sql). */
    private Mono<Long> intakeGeneration(long waitBudgetMillis) {
        return db.sql("SELECT intake_generation(:w, :budget)")
                .bind("w", warehouse)
                .bind("budget", waitBudgetMillis)
                .map(row -> row.get(0, Long.class))
                .one();
    }

    private long waitingForAdvisoryLock() {
        return db.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
                .map(row -> row.get(0, Long.class))
                .one()
                .block(Duration.ofSeconds(5));
    }

    private OrderDraft draft(String key, BigDecimal discountPercent) {
        return new OrderDraft(Ids.next(), "direct", UUID.randomUUID(), "test", warehouse + "-" + key, new byte[] {1},
                "PO-" + key + "-" + warehouse, "C-1", "USD", warehouse, FulfillmentPolicy.SHIP_PARTIAL,
                InvoicingPolicy.ON_SHIPMENT, null, List.of(new OrderLineDraft(1, plenty, 1, BigDecimal.ONE, discountPercent)),
                Instant.now());
    }

    @Test
    void eachReservationCallConfirmsTheReservationsOfOrdersCommittedBefore() {
        List<Object> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Answer answer = post("sequential-" + i, order("PO-SEQ-" + i, warehouse, plenty, 1)).block(Duration.ofSeconds(10));
            assertThat(answer.status()).isEqualTo(201);
            ids.add(answer.body().get("id"));
        }

        // without waiting for the sweeper's deadline (30 s): only the last order is still pending in Redis
        List<String> pending = redis.zrange("{wh:" + warehouse + "}:pending", 0, -1).collectList().block(Duration.ofSeconds(5));
        assertThat(pending).containsExactly((String) ids.get(4));
        assertThat(redis.exists("{wh:" + warehouse + "}:res:" + ids.get(0)).block(Duration.ofSeconds(5))).isZero();
        assertStockConsistent(db, redis, warehouse);
    }

    /** Posts one lone order per in-flight slot; each reserves and then waits on the held lock. */
    private List<Mono<Answer>> fillEveryInFlightSlot(double batchesBefore) {
        List<Mono<Answer>> blockers = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            Mono<Answer> blocker = post("blocker-" + i, order("PO-BLOCKER-" + i, warehouse, plenty, 1)).cache();
            blocker.subscribe();
            blockers.add(blocker);
            int started = i + 1;
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> batches().count() - batchesBefore >= started);
        }
        return blockers;
    }

    /** Sends every order, waits until all of them queue behind the held lock, releases it, and collects the answers. */
    private List<Answer> sendWhileHeld(List<Mono<Answer>> orders, WarehouseHold hold) throws SQLException {
        List<Mono<Answer>> sent = orders.stream().map(Mono::cache).toList();
        sent.forEach(Mono::subscribe);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queuedNow() == orders.size());
        hold.release();
        return Flux.concat(sent).collectList().block(Duration.ofSeconds(30));
    }

    private Mono<Answer> post(String key, Map<String, Object> body) {
        return postReactive(client, token, warehouse + "-" + key, body);
    }

    private DistributionSummary batches() {
        return meters.get("orderflow.intake.batch.size").summary();
    }

    private double queuedNow() {
        return meters.get("orderflow.intake.queued").gauge().value();
    }

    private long keysStored(List<String> keys) {
        return db.sql("SELECT count(*) FROM idempotency_record WHERE key = ANY(:keys)")
                .bind("keys", keys.stream().map(key -> warehouse + "-" + key).toArray(String[]::new))
                .map(row -> row.get(0, Long.class))
                .one()
                .block(Duration.ofSeconds(5));
    }

    private long ordersWithRef(String externalRef) {
        return db.sql("SELECT count(*) FROM orders WHERE warehouse = :w AND external_ref = :ref")
                .bind("w", warehouse).bind("ref", externalRef)
                .map(row -> row.get(0, Long.class))
                .one()
                .block(Duration.ofSeconds(5));
    }

    private static String problemType(String slug) {
        return "https://orderflow.dev/problems/" + slug;
    }

    /** The warehouse's stock lock, held exclusively by a transaction of the test's own until released. */
    private final class WarehouseHold implements AutoCloseable {

        private final Connection connection;

        WarehouseHold() throws SQLException {
            connection = jdbc(null).getConnection();
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended('stock:' || ?, 0))")) {
                lock.setString(1, warehouse);
                lock.execute();
            }
        }

        /** Runs the statement (its one parameter the warehouse) in the holding transaction and commits it, releasing the lock. */
        void commitAfter(String sql) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, warehouse);
                statement.executeUpdate();
            }
            connection.commit();
            connection.setAutoCommit(true);
        }

        void release() throws SQLException {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }

        @Override
        public void close() throws SQLException {
            release();
            connection.close();
        }
    }
}
