package dev.orderflow.api.events;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * One open {@code GET /v1/events}, as a client would hold it: over its own HTTP connection, every
 * Server-Sent Event recorded as it arrives, for the test thread to wait on. Closing it disconnects.
 */
final class EventStreamRecording implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    /** One event message: the SSE id and event fields, and the JSON body in data. */
    record Message(String id, String event, Map<String, Object> body) {

        @SuppressWarnings("unchecked")
        String orderId() {
            return (String) ((Map<String, Object>) body.get("data")).get("orderId");
        }
    }

    private final List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
    private final Disposable subscription;
    private volatile Throwable failure;

    private EventStreamRecording(WebClient.RequestHeadersSpec<?> request) {
        subscription = request.retrieve().bodyToFlux(SSE).subscribe(received::add, error -> failure = error);
    }

    /**
     * Opens a stream as {@code token} and waits until the server has it open.
     *
     * @param lastEventId a {@code Last-Event-ID} header, or null
     */
    static EventStreamRecording open(int port, String token, String lastEventId) {
        return open(port, "/v1/events", token, lastEventId);
    }

    static EventStreamRecording open(int port, String uri, String token, String lastEventId) {
        WebClient client = WebClient.builder()
                .baseUrl("http://localhost:" + port)
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
                .build();
        WebClient.RequestHeadersSpec<?> request = client.get().uri(uri)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(headers -> {
                    if (lastEventId != null) {
                        headers.set("Last-Event-ID", lastEventId);
                    }
                });
        EventStreamRecording recording = new EventStreamRecording(request);
        // the server sends this comment once it follows new events: from here on nothing is missed
        await().atMost(WAIT).until(() -> recording.failure != null
                || recording.received.stream().anyMatch(sse -> "connected".equals(sse.comment())));
        recording.assertNoFailure();
        return recording;
    }

    /** The event messages so far (comments left out), in the order received. */
    List<Message> messages() {
        return received.stream().filter(sse -> sse.data() != null).map(EventStreamRecording::parse).toList();
    }

    List<String> ids() {
        return messages().stream().map(Message::id).toList();
    }

    /** Waits for a message that matches, and answers it. */
    Message awaitMessage(Predicate<Message> wanted) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertNoFailure();
            return messages().stream().anyMatch(wanted);
        });
        return messages().stream().filter(wanted).findFirst().orElseThrow();
    }

    private void assertNoFailure() {
        if (failure != null) {
            throw new AssertionError("the event stream failed", failure);
        }
    }

    @Override
    public void close() {
        subscription.dispose();
    }

    private static Message parse(ServerSentEvent<String> sse) {
        return new Message(sse.id(), sse.event(), JSON.readValue(sse.data(), new TypeReference<Map<String, Object>>() {
        }));
    }
}
