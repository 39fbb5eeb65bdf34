package dev.orderflow.api.simulator;

import dev.orderflow.api.simulator.FulfillmentSimulator.Line;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Confirms a simulated shipment the way a warehouse system does: {@code POST /v1/orders/{id}/shipments}
 * on Orderflow's API, as the simulator's own warehouse principal. A failure that may pass (5xx, 429,
 * a timeout, no connection) is retried with backoff, with the same {@code shipmentId} every time so
 * Orderflow counts the shipment once. A refusal (any other 4xx), or running out of retries, is
 * logged and the shipment given up, as a real warehouse system would leave it to its operators.
 */
final class ShipmentCallback {

    private static final Logger LOG = LoggerFactory.getLogger(ShipmentCallback.class);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    static final String CARRIER = "SIM";

    /** The body of {@code POST /v1/orders/{id}/shipments}. */
    record Shipment(String shipmentId, List<ShippedLine> lines, String carrier, String trackingNumber) {

        /** All of every requested line, under ids derived from the request, so a retry is the same shipment. */
        static Shipment of(String requestId, List<Line> lines) {
            List<ShippedLine> shipped = lines.stream().map(line -> new ShippedLine(line.lineNo(), line.quantity())).toList();
            return new Shipment("sim-" + requestId, shipped, CARRIER, "SIM-TRK-" + requestId);
        }
    }

    /** One shipped line. */
    record ShippedLine(int lineNo, int quantity) {
    }

    private final WebClient http;
    private final Supplier<URI> orderflow;
    private final SimulatorPrincipal principal;
    private final int retries;
    private final Duration backoff;

    /**
     * @param orderflow the base URL of Orderflow's API, asked at each attempt (this server's port is
     *                  known only once it has started)
     */
    ShipmentCallback(WebClient http, Supplier<URI> orderflow, SimulatorPrincipal principal, int retries, Duration backoff) {
        this.http = http;
        this.orderflow = orderflow;
        this.principal = principal;
        this.retries = retries;
        this.backoff = backoff;
    }

    /** Completes once Orderflow took the shipment, or once the simulator gave up on it (logged). */
    Mono<Void> confirm(String orderId, Shipment shipment) {
        return Mono.defer(() -> attempt(orderId, shipment))
                .retryWhen(Retry.backoff(retries, backoff).filter(ShipmentCallback::mayPass))
                .doOnSuccess(done -> LOG.info("Fulfillment simulator: shipment {} of order {} confirmed",
                        shipment.shipmentId(), orderId))
                .onErrorResume(error -> giveUp(orderId, shipment, error));
    }

    private Mono<Void> attempt(String orderId, Shipment shipment) {
        return principal.token()
                .flatMap(token -> post(token, orderId, shipment))
                .timeout(ATTEMPT_TIMEOUT);
    }

    private Mono<Void> post(String token, String orderId, Shipment shipment) {
        return http.post()
                .uri(orderflow.get() + "/v1/orders/{orderId}/shipments", orderId)
                .headers(headers -> headers.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(shipment)
                .retrieve()
                .toBodilessEntity()
                .then();
    }

    private static boolean mayPass(Throwable error) {
        if (error instanceof WebClientResponseException response) {
            return response.getStatusCode().is5xxServerError()
                    || response.getStatusCode().value() == HttpStatus.TOO_MANY_REQUESTS.value();
        }
        return error instanceof WebClientRequestException || error instanceof TimeoutException;
    }

    /**
     * The end of the line for a shipment nobody waits on: there is no caller to hand the error to,
     * so it is logged, and the order waits for a shipment that does not come, as with a real warehouse.
     */
    private static Mono<Void> giveUp(String orderId, Shipment shipment, Throwable error) {
        Throwable cause = Exceptions.isRetryExhausted(error) && error.getCause() != null ? error.getCause() : error;
        String why = cause instanceof WebClientResponseException response
                ? "Orderflow answered " + response.getStatusCode().value()
                : cause.toString();
        LOG.warn("Fulfillment simulator: gave up confirming shipment {} of order {}: {}", shipment.shipmentId(), orderId, why);
        return Mono.empty();
    }
}
