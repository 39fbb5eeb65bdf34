package dev.orderflow.orchestration.edi;

import dev.orderflow.orchestration.edi.ItemCrossReferences.CustomerPart;
import dev.orderflow.orchestration.edi.PurchaseOrderMapping.Mapped;
import dev.orderflow.orchestration.order.IntakeResult;
import dev.orderflow.orchestration.order.Order;
import dev.orderflow.orchestration.order.OrderIntake;
import dev.orderflow.orchestration.stock.Inventory;
import dev.orderflow.orchestration.support.DomainException;
import dev.orderflow.orchestration.support.Json;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIValidationException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Takes an X12 interchange of 850s: reads it (streamed, off the event loop), and unless its envelope
 * is bad, claims its control number, turns each 850 into an order through the same intake as a JSON
 * order (same reservation, idempotency and lifecycle), and answers the 997.
 *
 * <p>Nothing is taken before the whole interchange has been read: its verdict is only known at IEA,
 * and a truncated upload must not leave half its orders behind. The purchase orders read so far are
 * held meanwhile (a few hundred bytes each), up to {@code maxPurchaseOrders}.
 */
public class EdiIntake {

    private static final Logger LOG = LoggerFactory.getLogger(EdiIntake.class);

    private final OrderIntake intake;
    private final Inventory inventory;
    private final ItemCrossReferences crossReferences;
    private final Interchanges interchanges;
    private final Clock clock;
    private final int maxPurchaseOrders;

    public EdiIntake(OrderIntake intake, Inventory inventory, ItemCrossReferences crossReferences, Interchanges interchanges,
            Clock clock, int maxPurchaseOrders) {
        this.clock = clock;
        this.intake = intake;
        this.inventory = inventory;
        this.crossReferences = crossReferences;
        this.interchanges = interchanges;
        this.maxPurchaseOrders = maxPurchaseOrders;
    }

    /** What an interchange came to: the acknowledgment to answer with, and each 850's fate. */
    public record Receipt(String acknowledgment, List<Outcome> outcomes, boolean replayed) {
    }

    /**
     * One 850's fate.
     *
     * @param orderId the order it is (new or taken before), or null if none
     * @param created whether this interchange created it
     * @param refusal why there is no order, or null
     */
    public record Outcome(String poNumber, UUID orderId, boolean created, String refusal) {
    }

    /** What reading produced: the envelope and the 850s that were not rejected. */
    private record Read(X12Envelope envelope, List<PurchaseOrder> purchaseOrders) {
    }

    /** Reads the body on a thread that may block; the stream is read once, to its end. */
    public Mono<Receipt> receive(InputStream body, EdiContext context) {
        return Mono.fromCallable(() -> read(body))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(read -> take(read, context));
    }

    private Read read(InputStream body) throws java.io.IOException {
        List<PurchaseOrder> staged = new ArrayList<>();
        X12Envelope envelope;
        try (body) { // closing it early (too large) stops the upload being read any further
            envelope = read(body, staged);
        }
        if (envelope.delimiters() == null) {
            throw new DomainException(DomainException.Kind.INVALID, "not-x12", "Not an X12 interchange",
                    "The body must be one X12 interchange, starting with a 106-character ISA segment. "
                            + envelope.allErrors().stream().map(X12Error::message).findFirst().orElse(""));
        }
        // only the 850s of groups that were not rejected (a group's verdict comes at its GE)
        return new Read(envelope, staged.stream().filter(envelope::takes).toList());
    }

    private X12Envelope read(InputStream body, List<PurchaseOrder> staged) {
        return X12Interchange.read(body, po -> {
            if (staged.size() == maxPurchaseOrders) {
                throw new DomainException(DomainException.Kind.TOO_LARGE, "interchange-too-large", "Interchange too large",
                        "An interchange may carry up to " + maxPurchaseOrders + " purchase orders; split it into several.");
            }
            staged.add(po);
        });
    }

    private Mono<Receipt> take(Read read, EdiContext context) {
        X12Envelope envelope = read.envelope();
        if (envelope.interchangeRejected() || read.purchaseOrders().isEmpty()) {
            // nothing will be taken: no claim, so a corrected resend under the same number is welcome
            return acknowledge(envelope).map(ack -> new Receipt(ack, List.of(), false));
        }
        Interchanges.Key key = new Interchanges.Key(context.channel(),
                envelope.senderQualifier() + ":" + envelope.senderId(), envelope.controlNumber());
        return interchanges.claim(key, context.principalId())
                .flatMap(claim -> afterClaim(claim, key, read, context));
    }

    private Mono<Receipt> afterClaim(Interchanges.Claim claim, Interchanges.Key key, Read read, EdiContext context) {
        if (claim instanceof Interchanges.Claim.Done done) {
            return Mono.just(new Receipt(done.acknowledgment(), List.of(), true));
        }
        if (claim instanceof Interchanges.Claim.InProgress) {
            return Mono.error(new DomainException(DomainException.Kind.CONFLICT, "interchange-in-progress", "Interchange in progress",
                    "Interchange " + key.controlNumber() + " from " + key.sender() + " is being taken right now; "
                            + "send it again in a moment to get its 997."));
        }
        // the 997 is written first: it is stored in the transaction that stores the orders
        return acknowledge(read.envelope())
                .flatMap(ack -> takeOrders(read, context, interchanges.complete(key, ack))
                        .map(outcomes -> new Receipt(ack, outcomes, false)))
                .onErrorResume(error -> interchanges.release(key).then(Mono.error(error)));
    }

    /** All the interchange's orders in one reservation and one transaction, with its completion: an outage leaves none. */
    private Mono<List<Outcome>> takeOrders(Read read, EdiContext context, Mono<Void> completion) {
        return resolutions(read, context)
                .map(resolved -> read.purchaseOrders().stream()
                        .map(po -> PurchaseOrderMapping.map(po, read.envelope(), context, resolved.forCustomer(
                                PurchaseOrderMapping.customerId(po, read.envelope()))))
                        .toList())
                .flatMap(mapped -> takeOrders(mapped, completion));
    }

    private Mono<List<Outcome>> takeOrders(List<Mapped> mapped, Mono<Void> completion) {
        List<Mapped> orders = mapped.stream().filter(each -> each.draft() != null).toList();
        return intake.acceptTogether(orders.stream().map(Mapped::draft).toList(), EdiIntake::render, completion)
                .flatMap(answers -> outcomes(mapped, orders, answers));
    }

    /** Each 850's outcome, in the interchange's order: its order's answer, or why it had none. */
    private static Mono<List<Outcome>> outcomes(List<Mapped> mapped, List<Mapped> orders, List<Mono<IntakeResult>> answers) {
        Map<Mapped, Mono<IntakeResult>> answerOf = new IdentityHashMap<>();
        for (int i = 0; i < orders.size(); i++) {
            answerOf.put(orders.get(i), answers.get(i));
        }
        return Flux.fromIterable(mapped).concatMap(each -> outcome(each, answerOf.get(each))).collectList();
    }

    private static Mono<Outcome> outcome(Mapped mapped, Mono<IntakeResult> answer) {
        String poNumber = mapped.purchaseOrder().externalRef();
        if (answer == null) {
            return Mono.just(new Outcome(poNumber, null, false, mapped.refusal()));
        }
        return answer.map(result -> outcome(poNumber, result))
                .onErrorResume(EdiIntake::refusesThisOrderOnly, error -> Mono.just(new Outcome(poNumber, null, false, error.getMessage())));
    }

    /** A refusal of one order (a PO number reused with other content, say) refuses that order; an outage fails the interchange. */
    private static boolean refusesThisOrderOnly(Throwable error) {
        return error instanceof DomainException domain && domain.kind() != DomainException.Kind.UNAVAILABLE;
    }

    private static Outcome outcome(String poNumber, IntakeResult result) {
        if (result instanceof IntakeResult.Created created) {
            return new Outcome(poNumber, created.order().id(), true, null);
        }
        return new Outcome(poNumber, ((IntakeResult.Replayed) result).orderId(), false, null);
    }

    /** The stored answer for a replayed PO number: the order it became. */
    private static String render(Order order) {
        return Json.write(Map.of("orderId", order.id(), "externalRef", order.externalRef(), "status", order.status()));
    }

    /** Which IDs are SKUs and what the buyers' part numbers mean: two queries for the whole interchange. */
    private Mono<Resolved> resolutions(Read read, EdiContext context) {
        Set<CustomerPart> parts = new HashSet<>();
        for (PurchaseOrder po : read.purchaseOrders()) {
            String customer = PurchaseOrderMapping.customerId(po, read.envelope());
            po.lines().forEach(line -> ItemResolution.buyerParts(line).forEach(part -> parts.add(new CustomerPart(customer, part))));
        }
        return crossReferences.lookUp(context.channel(), parts)
                .flatMap(xref -> {
                    Set<String> candidates = Stream.concat(
                                    read.purchaseOrders().stream().flatMap(po -> po.lines().stream()).flatMap(ItemResolution::directIds),
                                    xref.values().stream())
                            .collect(Collectors.toSet());
                    return inventory.known(context.warehouse(), candidates).map(known -> new Resolved(known, xref));
                });
    }

    private record Resolved(Set<String> known, Map<CustomerPart, String> xref) {
        ItemResolution forCustomer(String customerId) {
            return new ItemResolution(known, part -> xref.get(new CustomerPart(customerId, part)));
        }
    }

    private Mono<String> acknowledge(X12Envelope envelope) {
        return interchanges.nextControlNumber()
                .publishOn(Schedulers.boundedElastic())
                .map(control -> write997(envelope, control, LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)));
    }

    /**
     * The 997 is made of the received envelope and our control number and clock alone, so one that
     * StAEDI will not write was made unwritable by what the sender sent (an ISA value the reader let
     * through): the interchange cannot be answered, a 400, and as nothing has been taken yet (the 997
     * is written before the orders), nothing of it remains.
     */
    private static String write997(X12Envelope envelope, long controlNumber, LocalDateTime now) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Ack997Writer.write(envelope, controlNumber, now, out);
        } catch (EDIStreamException | EDIValidationException e) {
            LOG.warn("Could not write the 997 for interchange {} from {}: {}", envelope.controlNumber(), envelope.senderId(),
                    e.getMessage());
            throw new DomainException(DomainException.Kind.INVALID, "unanswerable-interchange", "Interchange cannot be acknowledged",
                    "A 997 addressed from this interchange's envelope cannot be written (" + e.getMessage()
                            + "); correct its ISA and GS and send it again.");
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
