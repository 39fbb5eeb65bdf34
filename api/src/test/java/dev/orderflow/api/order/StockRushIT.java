package dev.orderflow.api.order;

import static dev.orderflow.api.support.OrderflowClient.order;
import static dev.orderflow.api.support.OrderflowClient.postReactive;
import static dev.orderflow.api.support.StockAssertions.assertStockConsistent;
import static dev.orderflow.api.support.StockAssertions.reservedInPostgres;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderflowClient.Answer;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;


/**
 * Many channels racing for too little stock, over real HTTP with real concurrency: nothing is ever
 * reserved twice, not even when Redis loses everything in the middle of the rush.
 */
class StockRushIT extends IntegrationTest {

    private static final int STOCK = 60;
    private static final int ORDERS = STOCK * 4;
    private static final int CLIENTS = 48;

    @Autowired
    DatabaseClient db;

    @Autowired
    RedisClusterReactiveCommands<String, String> redis;

    String warehouse;
    String sku;
    String channelToken;
    WebClient client;

    @BeforeEach
    void stockOneSku() {
        warehouse = unique("W");
        sku = unique("HOT");
        stock(warehouse, sku, STOCK);
        channelToken = channelToken();
        client = WebClient.builder().baseUrl("http://localhost:" + port).build();
    }

    @Test
    void aRushOfFourTimesTheStockReservesExactlyTheStock() {
        List<Answer> answers = rush(ORDERS, answered -> Mono.empty());

        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(201));
        assertThat(reservedUnits(answers)).isEqualTo(STOCK);
        assertThat(reservedInPostgres(db, warehouse, sku)).isEqualTo(STOCK);
        assertThat(countByStatus(answers)).containsEntry("ACCEPTED", (long) STOCK)
                .containsEntry("BACKORDERED", (long) (ORDERS - STOCK));
        assertStockConsistent(db, redis, warehouse);
    }

    @Test
    void aRedisFlushInTheMiddleOfTheRushOversellsNothing() {
        List<Answer> answers = rush(ORDERS, answered -> answered == ORDERS / 4 ? redis.flushdb().then() : Mono.empty());

        // a request caught by the flush may be told to retry; nothing else may go wrong
        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isIn(201, 503));
        long reserved = reservedInPostgres(db, warehouse, sku);
        assertThat(reserved).as("units reserved in PostgreSQL").isEqualTo(reservedUnits(answers)).isLessThanOrEqualTo(STOCK);
        // the flush happened with three quarters of the rush still to come: all stock finds a buyer
        assertThat(reserved).isEqualTo(STOCK);
        assertThat(storedOrders()).isEqualTo(answers.stream().filter(answer -> answer.status() == 201).count());
        assertStockConsistent(db, redis, warehouse);
    }

    /** Posts single-unit orders from many concurrent clients; {@code afterAnswer} gets the running count. */
    private List<Answer> rush(int orders, IntFunction<Mono<Void>> afterAnswer) {
        AtomicInteger answered = new AtomicInteger();
        return Flux.range(0, orders)
                .flatMap(i -> postReactive(client, channelToken, warehouse + "-" + i, order("PO-" + i, warehouse, sku, 1))
                        .flatMap(answer -> afterAnswer.apply(answered.incrementAndGet()).thenReturn(answer)), CLIENTS)
                .collectList()
                .block(Duration.ofSeconds(120));
    }

    @SuppressWarnings("unchecked")
    private static long reservedUnits(List<Answer> answers) {
        return answers.stream()
                .filter(answer -> answer.status() == 201)
                .flatMap(answer -> ((List<Map<String, Object>>) answer.body().get("lines")).stream())
                .mapToLong(line -> ((Number) line.get("reserved")).longValue())
                .sum();
    }

    private static Map<Object, Long> countByStatus(List<Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(answer -> answer.body().get("status"), Collectors.counting()));
    }

    private long storedOrders() {
        return db.sql("SELECT count(DISTINCT order_id) FROM order_line WHERE warehouse = :w")
                .bind("w", warehouse)
                .map(row -> row.get(0, Long.class))
                .one()
                .block(Duration.ofSeconds(5));
    }

}
