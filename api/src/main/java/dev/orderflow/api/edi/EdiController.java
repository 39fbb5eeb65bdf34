package dev.orderflow.api.edi;

import dev.orderflow.api.config.OrderflowProperties;
import dev.orderflow.api.limits.BodyLimit;
import dev.orderflow.orchestration.edi.EdiContext;
import dev.orderflow.orchestration.edi.EdiDocuments;
import dev.orderflow.orchestration.edi.EdiIntake;
import dev.orderflow.orchestration.order.OrderExceptions;
import dev.orderflow.orchestration.order.Orders;
import dev.orderflow.orchestration.principal.Principal;
import dev.orderflow.orchestration.support.DomainException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/edi/x12}: an interchange of 850s in, its 997 out; and the documents sent back for
 * an EDI order ({@code GET /v1/orders/{id}/edi/855|856|810}).
 */
@RestController
class EdiController {

    static final MediaType X12 = MediaType.parseMediaType("application/edi-x12");
    /** Buffers requested ahead while the reader parses: enough to keep it busy, little held. */
    private static final int READ_AHEAD = 8;
    private static final Map<String, String> DUE_WHEN = Map.of(
            EdiDocuments.ACK, "once the order is taken",
            EdiDocuments.SHIP_NOTICE, "after a shipment",
            EdiDocuments.INVOICE, "after an invoice");

    private final EdiIntake intake;
    private final EdiDocuments documents;
    private final Orders orders;
    private final Clock clock;
    private final String warehouse;
    private final BodyLimit limit;

    EdiController(EdiIntake intake, EdiDocuments documents, Orders orders, Clock clock, OrderflowProperties properties,
            BodyLimit ediBodyLimit) {
        this.limit = ediBodyLimit;
        this.intake = intake;
        this.documents = documents;
        this.orders = orders;
        this.clock = clock;
        this.warehouse = properties.intake().defaultWarehouse();
    }

    /**
     * Streams the body into the X12 reader, capped at {@code orderflow.edi.max-interchange-size}: past
     * it the answer is a 413 whatever the reader made of the cut-off stream (it rejects an interchange
     * it could not read to its end, so nothing of it was taken).
     */
    @PostMapping(path = "/v1/edi/x12", consumes = "application/edi-x12", produces = "application/edi-x12")
    Mono<ResponseEntity<byte[]>> receive(ServerWebExchange exchange, @AuthenticationPrincipal Principal principal) {
        BodyLimit.Capped body = limit.cap(exchange.getRequest());
        return Mono.fromCallable(() -> context(principal))
                .flatMap(context -> intake.receive(DataBufferUtils.subscriberInputStream(body.body(), READ_AHEAD), context))
                .onErrorMap(error -> body.exceeded(), error -> limit.tooLarge())
                .flatMap(receipt -> body.exceeded() ? Mono.error(limit.tooLarge()) : Mono.just(receipt))
                .map(receipt -> ResponseEntity.ok()
                        .contentType(X12)
                        .body(receipt.acknowledgment().getBytes(StandardCharsets.UTF_8)));
    }

    @GetMapping(path = "/v1/orders/{id}/edi/{kind}", produces = {"application/edi-x12", MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    Mono<ResponseEntity<byte[]>> document(@PathVariable UUID id, @PathVariable String kind,
            @AuthenticationPrincipal Principal principal) {
        if (!DUE_WHEN.containsKey(kind)) {
            return Mono.error(new DomainException(DomainException.Kind.NOT_FOUND, "no-such-document", "No such document",
                    "Orders have EDI documents 855, 856 and 810; " + kind + " is none of them."));
        }
        return orders.find(id)
                .filter(order -> principal.canSee(order.channel()))
                .switchIfEmpty(Mono.error(() -> OrderExceptions.notFound(id)))
                .flatMap(order -> documents.isEdiOrder(id))
                .flatMap(edi -> edi ? documents.of(id, kind).map(EdiDocuments.Document::body).collectList()
                        : Mono.error(new DomainException(DomainException.Kind.NOT_FOUND, "not-an-edi-order", "Not an EDI order",
                                "Order " + id + " did not come from an 850, so it has no EDI documents.")))
                .flatMap(bodies -> bodies.isEmpty()
                        ? Mono.error(new DomainException(DomainException.Kind.NOT_FOUND, "document-not-yet", "Not yet",
                                "Order " + id + " has no " + kind + " yet: it is written " + DUE_WHEN.get(kind) + "."))
                        // several shipments or invoices: their interchanges back to back, as an EDI file holds them
                        : Mono.just(ResponseEntity.ok().contentType(X12)
                                .body(String.join("\n", bodies).getBytes(StandardCharsets.UTF_8))));
    }

    private EdiContext context(Principal principal) {
        if (principal.channels().isEmpty()) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "no-channel", "No channel",
                    "Orders belong to a channel, and your principal has none.");
        }
        return new EdiContext(principal.channels().get(0), principal.id(), principal.name(), warehouse, clock.instant());
    }
}
