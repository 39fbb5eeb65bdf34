package dev.orderflow.perf;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;

/** The HTTP client every simulation uses. */
final class Protocol {

    /** Events a live stream may receive between two reads of them (one read a second). */
    private static final int SSE_BUFFER = 200_000;

    private Protocol() {
    }

    /**
     * Virtual users share a pool of keep-alive connections, as a channel's connector does: one new
     * TCP connection per order would measure connection set-up (and run out of ports at a few
     * thousand per second), not Orderflow.
     */
    static HttpProtocolBuilder http() {
        String baseUrl = Settings.baseUrl();
        return http.baseUrl(baseUrl)
                .shareConnections()
                .warmUp(baseUrl + "/actuator/health")
                .contentTypeHeader("application/json")
                .acceptHeader("application/json")
                .sseUnmatchedInboundMessageBufferSize(SSE_BUFFER);
    }
}
