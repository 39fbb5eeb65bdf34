package dev.orderflow.api.order;

import dev.orderflow.orchestration.order.Order;
import dev.orderflow.orchestration.order.OrderExceptions;
import dev.orderflow.orchestration.order.OrderLifecycle;
import dev.orderflow.orchestration.order.Orders;
import dev.orderflow.orchestration.order.ShipmentRequest;
import dev.orderflow.orchestration.principal.Principal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * What people do to an order after intake: cancel, approve a discount, release a credit hold,
 * confirm a shipment, retry a failed step. Roles are checked per route in {@code AccessRules};
 * here, that the caller may see the order's channel at all.
 */
@RestController
@RequestMapping(path = "/v1/orders/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
class OrderActionsController {

    private final OrderLifecycle lifecycle;
    private final Orders orders;

    OrderActionsController(OrderLifecycle lifecycle, Orders orders) {
        this.lifecycle = lifecycle;
        this.orders = orders;
    }

    /** {@code POST /v1/orders/{id}/cancel}. */
    record CancelRequest(@Size(max = 500) String reason) {
    }

    /** {@code POST /v1/orders/{id}/shipments}. */
    record ShipmentBody(@NotBlank @Size(max = 100) String shipmentId, @NotEmpty @Size(max = 200) List<@NotNull @Valid Line> lines,
            @Size(max = 100) String carrier, @Size(max = 100) String trackingNumber) {

        record Line(@NotNull @Min(1) Integer lineNo, @NotNull @Min(1) @Max(100_000) Integer quantity) {
        }
    }

    @PostMapping("/cancel")
    Mono<OrderResponse> cancel(@PathVariable UUID id, @Valid @RequestBody(required = false) CancelRequest request,
            @AuthenticationPrincipal Principal principal) {
        String reason = request == null ? null : request.reason();
        return visible(id, principal).flatMap(order -> lifecycle.cancel(id, reason, principal.name())).map(OrderResponse::of);
    }

    @PostMapping("/approve")
    Mono<OrderResponse> approve(@PathVariable UUID id, @AuthenticationPrincipal Principal principal) {
        return visible(id, principal).flatMap(order -> lifecycle.approve(id, principal.name())).map(OrderResponse::of);
    }

    @PostMapping("/credit-release")
    Mono<OrderResponse> releaseCredit(@PathVariable UUID id, @AuthenticationPrincipal Principal principal) {
        return visible(id, principal).flatMap(order -> lifecycle.releaseCredit(id, principal.name())).map(OrderResponse::of);
    }

    @PostMapping(path = "/shipments", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<OrderResponse> ship(@PathVariable UUID id, @Valid @RequestBody ShipmentBody body, @AuthenticationPrincipal Principal principal) {
        ShipmentRequest shipment = new ShipmentRequest(body.shipmentId(),
                body.lines().stream().map(line -> new ShipmentRequest.ShippedLine(line.lineNo(), line.quantity())).toList(),
                body.carrier(), body.trackingNumber());
        return visible(id, principal).flatMap(order -> lifecycle.ship(id, shipment, principal.name())).map(OrderResponse::of);
    }

    @PostMapping("/retry")
    Mono<OrderResponse> retry(@PathVariable UUID id, @AuthenticationPrincipal Principal principal) {
        return visible(id, principal).flatMap(order -> lifecycle.retry(id, principal.name())).map(OrderResponse::of);
    }

    private Mono<Order> visible(UUID id, Principal principal) {
        return orders.find(id)
                .filter(order -> principal.canSee(order.channel()))
                .switchIfEmpty(Mono.error(() -> OrderExceptions.notFound(id)));
    }
}
