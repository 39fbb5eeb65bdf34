package dev.orderflow.api.order;

import dev.orderflow.api.config.OrderflowProperties;
import dev.orderflow.orchestration.order.FulfillmentPolicy;
import dev.orderflow.orchestration.order.IntakeResult;
import dev.orderflow.orchestration.order.InvoicingPolicy;
import dev.orderflow.orchestration.order.Order;
import dev.orderflow.orchestration.order.OrderDraft;
import dev.orderflow.orchestration.order.OrderExceptions;
import dev.orderflow.orchestration.order.OrderIntake;
import dev.orderflow.orchestration.order.OrderLineDraft;
import dev.orderflow.orchestration.order.OrderStatus;
import dev.orderflow.orchestration.order.Orders;
import dev.orderflow.orchestration.principal.Principal;
import dev.orderflow.orchestration.step.Steps;
import dev.orderflow.orchestration.support.DomainException;
import dev.orderflow.orchestration.support.Ids;
import dev.orderflow.orchestration.support.Page;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Orders: intake (idempotent, per the IETF Idempotency-Key draft), reads and the timeline. */
@RestController
@RequestMapping(path = "/v1/orders", produces = MediaType.APPLICATION_JSON_VALUE)
class OrderController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 255;

    private final OrderIntake intake;
    private final Orders orders;
    private final Steps steps;
    private final JsonMapper json;
    private final Clock clock;
    private final String defaultWarehouse;

    OrderController(OrderIntake intake, Orders orders, Steps steps, JsonMapper json, Clock clock, OrderflowProperties properties) {
        this.intake = intake;
        this.orders = orders;
        this.steps = steps;
        this.json = json;
        this.clock = clock;
        this.defaultWarehouse = properties.intake().defaultWarehouse();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> create(@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @Valid @RequestBody OrderRequest request, @AuthenticationPrincipal Principal principal) {
        return Mono.fromCallable(() -> draft(request, checked(idempotencyKey), principal))
                .flatMap(draft -> intake.accept(draft, this::render))
                .map(OrderController::toResponse);
    }

    @GetMapping("/{id}")
    Mono<OrderResponse> get(@PathVariable UUID id, @AuthenticationPrincipal Principal principal) {
        return visibleOrder(id, principal)
                .flatMap(order -> steps.forOrder(id).map(OrderResponse.StepView::of).collectList()
                        .map(views -> OrderResponse.of(order).withSteps(views)));
    }

    @GetMapping
    Mono<Page<OrderResponse>> list(@RequestParam(required = false) OrderStatus status,
            @RequestParam(required = false) String externalRef, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit, @AuthenticationPrincipal Principal principal) {
        var channels = principal.seesAllChannels() ? null : new HashSet<>(principal.channels());
        return orders.list(channels, status, externalRef, cursor, limit).map(page -> page.map(OrderResponse::of));
    }

    @GetMapping("/{id}/timeline")
    Mono<Map<String, Object>> timeline(@PathVariable UUID id, @AuthenticationPrincipal Principal principal) {
        return visibleOrder(id, principal)
                .flatMap(order -> orders.timeline(id).map(TimelineEntry::of).collectList())
                .map(items -> Map.of("items", items));
    }

    /** Another channel's order does not exist, as far as a channel can tell. */
    private Mono<Order> visibleOrder(UUID id, Principal principal) {
        return orders.find(id)
                .filter(order -> principal.canSee(order.channel()))
                .switchIfEmpty(Mono.error(() -> OrderExceptions.notFound(id)));
    }

    private String render(Order order) {
        return json.writeValueAsString(OrderResponse.of(order));
    }

    private static ResponseEntity<byte[]> toResponse(IntakeResult result) {
        if (result instanceof IntakeResult.Created created) {
            return body(HttpStatus.CREATED, created.order().id(), created.response());
        }
        IntakeResult.Replayed replayed = (IntakeResult.Replayed) result;
        return body(HttpStatus.valueOf(replayed.status()), replayed.orderId(), replayed.response());
    }

    private static ResponseEntity<byte[]> body(HttpStatus status, UUID orderId, String body) {
        return ResponseEntity.status(status)
                .location(URI.create("/v1/orders/" + orderId))
                .contentType(MediaType.APPLICATION_JSON)
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String checked(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_KEY_LENGTH) {
            throw new DomainException(DomainException.Kind.INVALID, "idempotency-key-required", "Idempotency-Key required",
                    "Send an Idempotency-Key header of 1 to 255 characters with every new order, and the same key when you retry it.");
        }
        return idempotencyKey;
    }

    private OrderDraft draft(OrderRequest request, String idempotencyKey, Principal principal) {
        if (principal.channels().isEmpty()) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "no-channel", "No channel",
                    "Orders belong to a channel, and your principal has none.");
        }
        List<OrderLineDraft> lines = new ArrayList<>(request.lines().size());
        for (int i = 0; i < request.lines().size(); i++) {
            OrderRequest.Line line = request.lines().get(i);
            BigDecimal discount = line.discountPercent() == null ? BigDecimal.ZERO : line.discountPercent();
            lines.add(new OrderLineDraft(i + 1, line.sku(), line.quantity(), line.unitPrice(), discount));
        }
        return new OrderDraft(Ids.next(), principal.channels().get(0), principal.id(), principal.name(), idempotencyKey,
                fingerprint(request), request.externalRef(), request.customerId(), request.currency(),
                request.warehouse() == null ? defaultWarehouse : request.warehouse(),
                request.fulfillmentPolicy() == null ? FulfillmentPolicy.SHIP_PARTIAL : request.fulfillmentPolicy(),
                request.invoicingPolicy() == null ? InvoicingPolicy.ON_SHIPMENT : request.invoicingPolicy(),
                shipTo(request.shipTo()), lines, clock.instant());
    }

    /** The request as parsed, serialised canonically: whitespace or key order do not make it "another body". */
    private byte[] fingerprint(OrderRequest request) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(request));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }

    private static Map<String, Object> shipTo(OrderRequest.ShipTo shipTo) {
        if (shipTo == null) {
            return null;
        }
        Map<String, Object> address = new LinkedHashMap<>();
        putIfPresent(address, "name", shipTo.name());
        putIfPresent(address, "line1", shipTo.line1());
        putIfPresent(address, "line2", shipTo.line2());
        putIfPresent(address, "city", shipTo.city());
        putIfPresent(address, "region", shipTo.region());
        putIfPresent(address, "postalCode", shipTo.postalCode());
        putIfPresent(address, "country", shipTo.country());
        return address;
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
