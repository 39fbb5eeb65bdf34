package dev.orderflow.api.events;

import dev.orderflow.orchestration.principal.Principal;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/** {@code GET /v1/events}: the caller's order events as they happen, as Server-Sent Events. */
@RestController
class EventStreamController {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final EventStreams streams;

    EventStreamController(EventStreams streams) {
        this.streams = streams;
    }

    /**
     * Resumes after {@code Last-Event-ID}, or after the {@code lastEventId} parameter for clients
     * that cannot set headers; the header wins when both are sent.
     */
    @GetMapping(path = "/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> stream(@RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventIdHeader,
            @RequestParam(name = "lastEventId", required = false) String lastEventIdParameter,
            @AuthenticationPrincipal Principal principal) {
        boolean fromHeader = lastEventIdHeader != null && !lastEventIdHeader.isBlank();
        return streams.open(principal, fromHeader ? lastEventIdHeader : lastEventIdParameter);
    }
}
