package dev.orderflow.api.events;

import static dev.orderflow.api.support.OrderflowClient.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.api.support.Downstreams;
import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * {@code GET /v1/events} over real HTTP: scoped to the caller's channels, resumable with
 * {@code Last-Event-ID} without a gap or a repeat, and fed from PostgreSQL, so an event another
 * instance commits arrives too. The engine runs alongside and adds events of its own (release,
 * ...), so expectations name orders and compare with the rows in {@code order_event}.
 */
class EventStreamIT extends IntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    DatabaseClient db;

    String warehouse;
    String sku;
    String channel;
    String channelToken;
    OrderFixtures orders;

    @BeforeEach
    void stockAWarehouse() {
        Downstreams.healthy();
        warehouse = unique("W");
        sku = unique("SKU");
        stock(warehouse, sku, 100);
        channel = unique("shop");
        channelToken = issueToken("channel", List.of("channel"), List.of(channel));
        orders = new OrderFixtures(asAdmin(), as(channelToken), warehouse);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aChannelSeesItsOwnOrdersLiveAndNeverAnotherChannels() {
        OrderFixtures theirOrders = new OrderFixtures(asAdmin(), as(channelToken()), warehouse);
        try (EventStreamRecording mine = EventStreamRecording.open(port, channelToken, null);
                EventStreamRecording everything = EventStreamRecording.open(port, ADMIN_KEY, null)) {
            String theirs = theirOrders.place(order(unique("PO"), warehouse, sku, 1));
            String ours = orders.place(order(unique("PO"), warehouse, sku, 2));

            EventStreamRecording.Message accepted = mine.awaitMessage(message -> "order.accepted".equals(message.event())
                    && ours.equals(message.orderId()));

            // their order came first, so a stream that leaked it would have sent it before ours:
            // the admin's stream, which sees every channel, shows that it was there to be sent
            everything.awaitMessage(message -> ours.equals(message.orderId()));
            assertThat(everything.messages().stream().map(EventStreamRecording.Message::orderId))
                    .containsSubsequence(theirs, ours);
            assertThat(mine.messages()).isNotEmpty()
                    .allSatisfy(message -> assertThat(((Map<String, Object>) message.body().get("data")).get("channel"))
                            .isEqualTo(channel))
                    .noneMatch(message -> theirs.equals(message.orderId()));

            Map<String, Object> row = db.sql("SELECT id::text AS id, order_seq, created_at FROM order_event"
                            + " WHERE order_id = :order AND type = 'order.accepted'")
                    .bind("order", UUID.fromString(ours))
                    .fetch().one().block(WAIT);
            assertThat(accepted.id()).isEqualTo(row.get("id"));
            assertThat(accepted.body()).containsEntry("id", row.get("id"))
                    .containsEntry("type", "order.accepted")
                    .containsEntry("sequence", row.get("order_seq"));
            assertThat(Instant.parse((String) accepted.body().get("timestamp")))
                    .isEqualTo(((java.time.OffsetDateTime) row.get("created_at")).toInstant());
            assertThat((Map<String, Object>) accepted.body().get("data"))
                    .containsEntry("orderId", ours)
                    .containsEntry("status", "ACCEPTED");
        }
    }

    @Test
    void reconnectingWithTheLastEventIdResumesRightAfterIt() {
        List<String> orderIds = new ArrayList<>();
        List<String> firstConnection;
        try (EventStreamRecording first = EventStreamRecording.open(port, channelToken, null)) {
            orderIds.add(orders.place(order(unique("PO"), warehouse, sku, 1)));
            orderIds.add(orders.place(order(unique("PO"), warehouse, sku, 1)));
            first.awaitMessage(message -> orderIds.get(1).equals(message.orderId()));
            firstConnection = first.ids();
        }
        String lastSeen = firstConnection.get(firstConnection.size() - 1);

        // while disconnected: more orders, and the engine moves the first ones on
        orderIds.add(orders.place(order(unique("PO"), warehouse, sku, 1)));
        orderIds.add(orders.place(order(unique("PO"), warehouse, sku, 1)));
        orders.awaitStatus(orderIds.get(3), "RELEASED");

        try (EventStreamRecording second = EventStreamRecording.open(port, channelToken, lastSeen)) {
            // exactly the channel's events after the last one seen, in outbox order: no gap, no repeat
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(second.ids()).isEqualTo(eventsAfter(lastSeen)));
            List<String> both = Stream.concat(firstConnection.stream(), second.ids().stream()).toList();
            assertThat(both).doesNotHaveDuplicates().isEqualTo(eventsAfter(null));
            assertThat(second.messages()).extracting(EventStreamRecording.Message::orderId).contains(orderIds.get(2), orderIds.get(3));
        }
    }

    @Test
    void anEventAnotherInstanceCommitsArrivesThroughTheDatabase() {
        // straight into the outbox, as another instance's transaction would write it: nothing in this
        // instance's memory knows of these events
        String seen = insertEvent();
        String missed = insertEvent();

        // the query parameter, for EventSource clients that cannot set headers
        try (EventStreamRecording stream = EventStreamRecording.open(port, "/v1/events?lastEventId=" + seen, channelToken, null)) {
            stream.awaitMessage(message -> missed.equals(message.id()));
            String later = insertEvent();

            EventStreamRecording.Message arrived = stream.awaitMessage(message -> later.equals(message.id()));

            assertThat(arrived.event()).isEqualTo("order.released");
            assertThat(arrived.body()).containsEntry("type", "order.released").containsEntry("sequence", 1);
            assertThat(stream.ids()).containsExactly(missed, later);
        }
    }

    @Test
    void anUnknownLastEventIdIsABadRequestProblem() {
        for (String lastEventId : List.of(UUID.randomUUID().toString(), "not-an-event-id")) {
            as(channelToken).get().uri("/v1/events")
                    .header("Last-Event-ID", lastEventId)
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.status").isEqualTo(400)
                    .jsonPath("$.type").value(type -> assertThat((String) type).endsWith("unknown-event"));
        }
        as(channelToken).get().uri("/v1/events?lastEventId={id}", UUID.randomUUID())
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void withoutATokenTheStreamIs401() {
        http.get().uri("/v1/events")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /** The ids of this channel's events in outbox order, after {@code eventId} (null: all of them). */
    private List<String> eventsAfter(String eventId) {
        String after = eventId == null ? "" : " AND (tx_id, seq) > (SELECT tx_id, seq FROM order_event WHERE id = :after)";
        DatabaseClient.GenericExecuteSpec query = db.sql("SELECT id::text FROM order_event WHERE channel = :channel" + after
                + " ORDER BY tx_id, seq").bind("channel", channel);
        if (eventId != null) {
            query = query.bind("after", UUID.fromString(eventId));
        }
        return query.map(row -> row.get(0, String.class)).all().collectList().block(WAIT);
    }

    private String insertEvent() {
        UUID id = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        db.sql("INSERT INTO order_event (id, order_id, order_seq, channel, type, actor, data, created_at)"
                        + " VALUES (:id, :order, 1, :channel, 'order.released', 'another-instance', CAST(:data AS jsonb), now())")
                .bind("id", id)
                .bind("order", orderId)
                .bind("channel", channel)
                .bind("data", "{\"orderId\": \"" + orderId + "\", \"channel\": \"" + channel + "\", \"status\": \"RELEASED\"}")
                .then()
                .block(WAIT);
        return id.toString();
    }
}
