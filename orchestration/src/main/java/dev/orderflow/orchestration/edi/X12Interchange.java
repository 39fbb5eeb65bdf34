package dev.orderflow.orchestration.edi;

import dev.orderflow.orchestration.edi.PurchaseOrder.ItemId;
import dev.orderflow.orchestration.edi.PurchaseOrder.Line;
import dev.orderflow.orchestration.edi.PurchaseOrder.Party;
import dev.orderflow.orchestration.edi.PurchaseOrder.RejectedLine;
import dev.orderflow.orchestration.edi.X12Envelope.Group;
import dev.orderflow.orchestration.edi.X12Envelope.TransactionSet;
import dev.orderflow.orchestration.edi.X12Error.Scope;
import dev.orderflow.orchestration.edi.X12Error.Severity;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamConstants.Delimiters;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamReader;
import io.xlate.edi.stream.EDIStreamValidationError;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads one X12 interchange (ISA...IEA) of 850 purchase orders as a stream with StAEDI: the
 * sender's delimiters are detected from ISA, line breaks and indentation between segments are
 * tolerated, and each 850 is handed to a consumer as soon as its SE is read, so an interchange is
 * never held in memory whole.
 *
 * <p>Bad input never throws: envelope, count and syntax errors, and truncated input, come back as
 * {@link X12Error}s on the returned {@link X12Envelope}, at the level a 997 or TA1 reports them.
 * The interchange verdict is only known at IEA, so a caller stages what the consumer receives and
 * commits it only when {@link X12Envelope#interchangeRejected()} is false.
 */
public final class X12Interchange {

    private static final DateTimeFormatter CCYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;
    /** Segments that may follow N1 inside its loop; anything else ends the loop. */
    private static final Set<String> N1_LOOP = Set.of("N2", "N3", "N4", "REF", "PER", "SI", "FOB", "TD1", "TD5", "TD3", "TD4", "PKG");

    private X12Interchange() {}

    /**
     * Reads an interchange, handing each 850 that was not rejected to {@code purchaseOrders} as its
     * SE completes. Exceptions thrown by the consumer propagate unchanged.
     */
    public static X12Envelope read(InputStream in, Consumer<PurchaseOrder> purchaseOrders) {
        return new Reading(Objects.requireNonNull(purchaseOrders)).run(Objects.requireNonNull(in));
    }

    /** Carries an exception thrown by the consumer past the reader's own catch. */
    private static final class ConsumerFailure extends RuntimeException {
        ConsumerFailure(RuntimeException cause) {
            super(cause);
        }
    }

    /** The state of one read: the envelope so far and the transaction set being read. */
    private static final class Reading {

        /** The ISA elements a TA1 or 997 back repeats: the parties (swapped), the version, the usage. */
        private static final int[] ECHOED_ISA_ELEMENTS = {5, 6, 7, 8, 12, 15};
        private static final Pattern VERSION = Pattern.compile("\\d{5}");

        private final Consumer<PurchaseOrder> consumer;

        private String senderQualifier;
        private String senderId;
        private String receiverQualifier;
        private String receiverId;
        private String controlNumber;
        private String version;
        private String usage;
        private X12Delimiters delimiters;
        /** The first error StAEDI found in ISA's elements, if any. */
        private String isaError;
        private final List<Group> groups = new ArrayList<>();
        private final List<X12Error> errors = new ArrayList<>();
        private boolean trailerSeen;

        private GroupBuilder group;
        private SetBuilder set;

        private String tag;
        private final List<String> elements = new ArrayList<>();
        private final List<X12Error> pendingElementErrors = new ArrayList<>();
        private int interchangePosition;

        Reading(Consumer<PurchaseOrder> consumer) {
            this.consumer = consumer;
        }

        X12Envelope run(InputStream in) {
            EDIInputFactory factory = EDIInputFactory.newFactory();
            try (EDIStreamReader reader = factory.createEDIStreamReader(IsaHeader.normalised(in))) {
                while (reader.hasNext()) {
                    onEvent(reader, reader.next());
                }
            } catch (ConsumerFailure e) {
                throw (RuntimeException) e.getCause();
            } catch (EDIStreamException | IOException | RuntimeException e) {
                // StAEDI reports unrecoverable syntax (bad ISA, unexpected end of stream) by throwing;
                // bad input is an answer (TA1/997/400), never an exception out of here
                errors.add(X12Error.interchange(
                        String.valueOf(e.getMessage()).contains("end of stream") ? "023" : "024",
                        interchangePosition,
                        tag,
                        "unreadable interchange: " + e.getMessage()));
            }
            finish();
            return new X12Envelope(
                    senderQualifier,
                    senderId,
                    receiverQualifier,
                    receiverId,
                    controlNumber,
                    version,
                    usage,
                    delimiters,
                    groups,
                    errors);
        }

        private void onEvent(EDIStreamReader reader, EDIStreamEvent event) {
            switch (event) {
                case START_SEGMENT -> {
                    tag = reader.getText().strip(); // indentation before a segment is not part of its tag
                    elements.clear();
                    pendingElementErrors.clear();
                    interchangePosition++;
                    if (set != null) {
                        set.segmentCount++;
                    }
                }
                case ELEMENT_DATA -> onElement(reader);
                case START_COMPOSITE -> setElement(reader.getLocation().getElementPosition(), "");
                case END_SEGMENT -> onSegment(reader);
                case SEGMENT_ERROR, ELEMENT_DATA_ERROR, ELEMENT_OCCURRENCE_ERROR -> onValidationError(reader, event);
                default -> {
                    // loops, groups and transactions are tracked from the segments themselves
                }
            }
        }

        private void onElement(EDIStreamReader reader) {
            var location = reader.getLocation();
            int position = location.getElementPosition();
            if (location.getComponentPosition() <= 1 && position <= elements.size() && !element(position).isEmpty()) {
                return; // a repetition: only the first occurrence is used by the elements read here
            }
            String text = reader.getText();
            if (text.indexOf('\0') >= 0) {
                // no X12 character set has NUL, and PostgreSQL text cannot hold it: the element is
                // invalid where it stands (AK4 code 6 in a transaction set), and is never stored
                onInvalidCharacter(position);
                text = text.replace("\0", "");
            }
            if (location.getComponentPosition() > 1) {
                text = element(position) + delimiters.component() + text;
            }
            setElement(position, text);
        }

        private void setElement(int position, String text) {
            while (elements.size() < position) {
                elements.add("");
            }
            elements.set(position - 1, text);
        }

        /** Element {@code position} (1-based) of the current segment; "" when absent. */
        private String element(int position) {
            return position <= elements.size() ? elements.get(position - 1) : "";
        }

        private static String orNull(String text) {
            return text == null || text.isBlank() ? null : text.trim();
        }

        private void onInvalidCharacter(int position) {
            String message = tag + position + ": invalid character (U+0000)";
            if ("ISA".equals(tag)) {
                isaError = message;
            }
            if (set != null && !"ST".equals(tag) && !"SE".equals(tag)) {
                set.errors.add(new X12Error(Scope.ELEMENT, Severity.REJECT, "6", set.segmentCount, tag, position, null, message));
            } else if (group != null && ("GS".equals(tag) || "GE".equals(tag))) {
                group.errors.add(X12Error.group("1", interchangePosition, tag, message));
            } else {
                errors.add(X12Error.interchange("024", interchangePosition, tag, message));
            }
        }

        private void onValidationError(EDIStreamReader reader, EDIStreamEvent event) {
            EDIStreamValidationError type = reader.getErrorType();
            if (type == EDIStreamValidationError.CONTROL_REFERENCE_MISMATCH
                    || type == EDIStreamValidationError.CONTROL_COUNT_DOES_NOT_MATCH_ACTUAL_COUNT) {
                return; // checked here with the level-specific code (TA105, AK905, AK502)
            }
            var location = reader.getLocation();
            String segmentTag = location.getSegmentTag() != null ? location.getSegmentTag() : tag;
            String message = type.name().toLowerCase().replace('_', ' ');
            if ("ISA".equals(segmentTag) && isaError == null) {
                isaError = "ISA" + location.getElementPosition() + ": " + message;
            }
            if (set != null && !"SE".equals(segmentTag)) {
                if (event == EDIStreamEvent.SEGMENT_ERROR) {
                    set.errors.add(new X12Error(Scope.SEGMENT, Severity.REJECT, ak304(type), set.segmentCount, segmentTag, 0, null, message));
                } else {
                    set.errors.add(new X12Error(
                            Scope.ELEMENT,
                            Severity.REJECT,
                            ak403(type),
                            set.segmentCount,
                            segmentTag,
                            location.getElementPosition(),
                            reader.hasText() ? reader.getText() : null,
                            message));
                }
            } else if (group != null && ("GS".equals(segmentTag) || "GE".equals(segmentTag))) {
                group.errors.add(X12Error.group("6".equals(String.valueOf(location.getElementPosition())) ? "6" : "1",
                        interchangePosition, segmentTag, segmentTag + location.getElementPosition() + ": " + message));
            } else {
                errors.add(X12Error.interchange("024", interchangePosition, segmentTag,
                        segmentTag + (location.getElementPosition() > 0 ? location.getElementPosition() : "") + ": " + message));
            }
        }

        private void onSegment(EDIStreamReader reader) {
            switch (tag) {
                case "ISA" -> onIsa(reader);
                case "GS" -> onGs();
                case "ST" -> onSt();
                case "SE" -> onSe();
                case "GE" -> onGe();
                case "IEA" -> onIea();
                default -> {
                    if (set != null) {
                        set.onSegment(tag, this::element);
                    }
                }
            }
        }

        private void onIsa(EDIStreamReader reader) {
            if (isaError == null) {
                isaError = unanswerableIsa().orElse(null);
            }
            senderQualifier = element(5).trim();
            senderId = element(6).trim();
            receiverQualifier = element(7).trim();
            receiverId = element(8).trim();
            version = element(12).trim();
            controlNumber = element(13).trim();
            usage = element(15).trim();
            Map<String, Character> d = reader.getDelimiters();
            Character repetition = d.get(Delimiters.REPETITION);
            X12Delimiters declared = new X12Delimiters(
                    d.get(Delimiters.DATA_ELEMENT),
                    d.get(Delimiters.SEGMENT),
                    d.get(Delimiters.COMPONENT_ELEMENT),
                    repetition == null ? X12Delimiters.NONE : repetition);
            if (isaError != null) {
                // the answer (TA1, 997) is addressed from ISA and quotes it: it cannot be written
                // with a value StAEDI refuses, so there is no acknowledgment to give, only a 400
                throw new IllegalArgumentException(isaError + "; no acknowledgment can be addressed from this ISA");
            }
            declared.unusable().ifPresent(reason -> {
                // the acknowledgment goes back in the sender's delimiters, and these cannot carry
                // one: the interchange is not X12 we can answer (a 400), and nothing is taken
                throw new IllegalArgumentException(reason);
            });
            delimiters = declared;
        }

        /**
         * Why a TA1 or 997 back could not repeat this ISA, if it could not: the elements an answer
         * repeats (ISA05-08 swapped, ISA12, ISA15) must be printable ASCII, and ISA12 a version of five
         * digits. StAEDI's reader lets through what its writer refuses (an ISA12 of U+0001 or a space
         * and "0401", say: trimmed, too short; or "!0401", not a version), and the sender would get no
         * answer at all.
         */
        private Optional<String> unanswerableIsa() {
            for (int position : ECHOED_ISA_ELEMENTS) {
                String value = element(position);
                for (int i = 0; i < value.length(); i++) {
                    if (!X12Delimiters.writable(value.charAt(i))) {
                        return Optional.of("ISA" + position + ": a character that is not printable ASCII (U+"
                                + String.format("%04X", (int) value.charAt(i)) + ")");
                    }
                }
            }
            if (!VERSION.matcher(element(12)).matches()) {
                return Optional.of("ISA12: '" + element(12) + "' is not a version (five digits, such as 00401)");
            }
            return Optional.empty();
        }

        private void onGs() {
            closeGroup("3", "functional group trailer (GE) missing before the next GS");
            group = new GroupBuilder(element(1), element(6), element(8));
        }

        private void onSt() {
            if (group == null) {
                errors.add(X12Error.interchange("024", interchangePosition, "ST", "ST outside a functional group"));
                group = new GroupBuilder("", "", "");
            }
            closeSet("2", "transaction set trailer (SE) missing before the next ST");
            set = new SetBuilder(group.controlNumber, element(1), element(2));
            set.segmentCount = 1;
            if (!"850".equals(set.code)) {
                set.errors.add(X12Error.set("1", 1, "ST", "transaction set " + set.code + " not supported, only 850"));
            }
        }

        private void onSe() {
            if (set == null) {
                errors.add(X12Error.interchange("024", interchangePosition, "SE", "SE without ST"));
                return;
            }
            Integer declared = integer(element(1));
            if (!element(2).equals(set.controlNumber)) {
                set.errors.add(X12Error.set("3", set.segmentCount, "SE",
                        "SE02 " + element(2) + " does not match ST02 " + set.controlNumber));
            }
            if (declared == null || declared != set.segmentCount) {
                set.errors.add(X12Error.set("4", set.segmentCount, "SE",
                        "SE01 " + element(1) + " but the set has " + set.segmentCount + " segments"));
            }
            TransactionSet done = set.build();
            group.sets.add(done);
            if (done.status() != X12Envelope.AckStatus.REJECTED && "850".equals(done.code())) {
                PurchaseOrder po = set.purchaseOrder();
                try {
                    consumer.accept(po);
                } catch (RuntimeException e) {
                    throw new ConsumerFailure(e);
                }
            }
            set = null;
        }

        private void onGe() {
            if (group == null) {
                errors.add(X12Error.interchange("024", interchangePosition, "GE", "GE without GS"));
                return;
            }
            closeSet("2", "transaction set trailer (SE) missing before GE");
            Integer declared = integer(element(1));
            if (!element(2).equals(group.controlNumber)) {
                group.errors.add(X12Error.group("4", interchangePosition, "GE",
                        "GE02 " + element(2) + " does not match GS06 " + group.controlNumber));
            }
            if (declared == null || declared != group.sets.size()) {
                group.errors.add(X12Error.group("5", interchangePosition, "GE",
                        "GE01 " + element(1) + " but the group has " + group.sets.size() + " transaction sets"));
            }
            group.declaredSetCount = declared == null ? -1 : declared;
            groups.add(group.build());
            group = null;
        }

        private void onIea() {
            trailerSeen = true;
            closeGroup("3", "functional group trailer (GE) missing before IEA");
            if (!element(2).equals(controlNumber)) {
                errors.add(X12Error.interchange("001", interchangePosition, "IEA",
                        "IEA02 " + element(2) + " does not match ISA13 " + controlNumber));
            }
            Integer declared = integer(element(1));
            if (declared == null || declared != groups.size()) {
                errors.add(X12Error.interchange("021", interchangePosition, "IEA",
                        "IEA01 " + element(1) + " but the interchange has " + groups.size() + " groups"));
            }
        }

        /** End of input: whatever is still open was truncated. */
        private void finish() {
            if (trailerSeen) {
                return;
            }
            closeGroup("3", "functional group trailer (GE) missing: input ended");
            if (errors.stream().noneMatch(e -> "023".equals(e.code()))) {
                errors.add(X12Error.interchange("023", interchangePosition, tag, "input ended before IEA"));
            }
        }

        private void closeSet(String ak502, String message) {
            if (set != null) {
                set.errors.add(X12Error.set(ak502, set.segmentCount, tag, message));
                group.sets.add(set.build());
                set = null;
            }
        }

        private void closeGroup(String ak905, String message) {
            if (group != null) {
                closeSet("2", "transaction set trailer (SE) missing: " + message);
                group.errors.add(X12Error.group(ak905, interchangePosition, tag, message));
                groups.add(group.build());
                group = null;
            }
        }

        private static Integer integer(String text) {
            try {
                return Integer.valueOf(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private static final class GroupBuilder {
        final String functionalIdCode;
        final String controlNumber;
        final String version;
        final List<TransactionSet> sets = new ArrayList<>();
        final List<X12Error> errors = new ArrayList<>();
        int declaredSetCount = -1;

        GroupBuilder(String functionalIdCode, String controlNumber, String version) {
            this.functionalIdCode = functionalIdCode;
            this.controlNumber = controlNumber;
            this.version = version;
        }

        Group build() {
            return new Group(functionalIdCode, controlNumber, version, declaredSetCount, sets, errors);
        }
    }

    /** A party being read: N1 then its N3/N4. */
    private static final class PartyBuilder {
        final String qualifier;
        final String name;
        final String idQualifier;
        final String id;
        final List<String> addressLines = new ArrayList<>();
        String city;
        String state;
        String postalCode;
        String country;

        PartyBuilder(String qualifier, String name, String idQualifier, String id) {
            this.qualifier = qualifier;
            this.name = name;
            this.idQualifier = idQualifier;
            this.id = id;
        }

        Party build() {
            return new Party(qualifier, name, idQualifier, id, addressLines, city, state, postalCode, country);
        }
    }

    /** The transaction set being read, and its 850 content. */
    private static final class SetBuilder {
        final String groupControlNumber;
        final String code;
        final String controlNumber;
        final List<X12Error> errors = new ArrayList<>();
        int segmentCount;

        String poNumber;
        LocalDate poDate;
        String currency;
        final List<PartyBuilder> parties = new ArrayList<>();
        PartyBuilder currentParty;
        final List<Line> lines = new ArrayList<>();
        final List<RejectedLine> rejectedLines = new ArrayList<>();
        boolean begSeen;

        SetBuilder(String groupControlNumber, String code, String controlNumber) {
            this.groupControlNumber = groupControlNumber;
            this.code = code;
            this.controlNumber = controlNumber;
        }

        interface Elements {
            String get(int position);
        }

        void onSegment(String tag, Elements e) {
            if (!N1_LOOP.contains(tag)) {
                currentParty = null;
            }
            switch (tag) {
                case "BEG" -> onBeg(e);
                case "CUR" -> currency = orNull(e.get(2));
                case "N1" -> {
                    currentParty = new PartyBuilder(orNull(e.get(1)), orNull(e.get(2)), orNull(e.get(3)), orNull(e.get(4)));
                    parties.add(currentParty);
                }
                case "N3" -> {
                    if (currentParty != null) {
                        addIfPresent(currentParty.addressLines, e.get(1));
                        addIfPresent(currentParty.addressLines, e.get(2));
                    }
                }
                case "N4" -> {
                    if (currentParty != null) {
                        currentParty.city = orNull(e.get(1));
                        currentParty.state = orNull(e.get(2));
                        currentParty.postalCode = orNull(e.get(3));
                        currentParty.country = orNull(e.get(4));
                    }
                }
                case "PO1" -> onPo1(e);
                default -> {
                    // other 850 segments (REF, FOB, ITD, DTM, PID, MSG, CTT...) are not needed for an order
                }
            }
        }

        private static void addIfPresent(List<String> lines, String text) {
            String value = orNull(text);
            if (value != null) {
                lines.add(value);
            }
        }

        private void onBeg(Elements e) {
            begSeen = true;
            poNumber = orNull(e.get(3));
            if (poNumber == null) {
                errors.add(elementError(Severity.REJECT, "BEG", 3, "1", null, "BEG03 purchase order number missing"));
            }
            String date = orNull(e.get(5));
            if (date != null) {
                try {
                    poDate = LocalDate.parse(date, CCYYMMDD);
                } catch (DateTimeParseException ex) {
                    errors.add(elementError(Severity.REJECT, "BEG", 5, "8", date, "BEG05 is not a CCYYMMDD date"));
                }
            }
        }

        private void onPo1(Elements e) {
            String lineId = orNull(e.get(1));
            String quantityText = orNull(e.get(2));
            Integer quantity = wholeQuantity(quantityText);
            if (quantity == null) {
                reject(lineId, 2, quantityText, "6", "PO102 quantity " + quantityText + " is not a whole number");
                return;
            }
            BigDecimal price = null;
            String priceText = orNull(e.get(4));
            if (priceText != null) {
                try {
                    price = new BigDecimal(priceText);
                } catch (NumberFormatException ex) {
                    reject(lineId, 4, priceText, "6", "PO104 unit price " + priceText + " is not a number");
                    return;
                }
            }
            List<ItemId> ids = new ArrayList<>();
            // PO106/PO107 up to PO124/PO125; a pair may be left empty before later ones (the distributor sample)
            for (int position = 6; position < 25; position += 2) {
                String qualifier = orNull(e.get(position));
                String id = orNull(e.get(position + 1));
                if (qualifier != null && id != null) {
                    ids.add(new ItemId(qualifier, id));
                }
            }
            lines.add(new Line(lineId, quantity, orNull(e.get(3)), price, ids));
        }

        private static Integer wholeQuantity(String text) {
            if (text == null) {
                return null;
            }
            try {
                BigDecimal value = new BigDecimal(text).stripTrailingZeros();
                return value.scale() <= 0 && value.signum() > 0 ? value.intValueExact() : null;
            } catch (NumberFormatException | ArithmeticException ex) {
                return null;
            }
        }

        /** One line is rejected on its own: noted for the 997 (AK5 "E"), reported per line to the caller. */
        private void reject(String lineId, int element, String data, String ak403, String reason) {
            rejectedLines.add(new RejectedLine(lineId, segmentCount, reason));
            errors.add(elementError(Severity.NOTE, "PO1", element, ak403, data, reason));
        }

        private X12Error elementError(Severity severity, String tag, int element, String ak403, String data, String message) {
            return new X12Error(Scope.ELEMENT, severity, ak403, segmentCount, tag, element, data, message);
        }

        TransactionSet build() {
            if ("850".equals(code) && !begSeen && errors.stream().noneMatch(X12Error::rejects)) {
                errors.add(new X12Error(Scope.SEGMENT, Severity.REJECT, "3", segmentCount, "BEG", 0, null, "mandatory BEG segment missing"));
            }
            return new TransactionSet(code, controlNumber, errors);
        }

        PurchaseOrder purchaseOrder() {
            Party buyer = party("BY");
            if (buyer == null) {
                buyer = party("BT");
            }
            return new PurchaseOrder(groupControlNumber, controlNumber, poNumber, poDate, buyer, party("ST"), currency, lines, rejectedLines);
        }

        private Party party(String qualifier) {
            return parties.stream()
                    .filter(p -> qualifier.equals(p.qualifier))
                    .findFirst()
                    .map(PartyBuilder::build)
                    .orElse(null);
        }

        private static String orNull(String text) {
            return Reading.orNull(text);
        }
    }

    private static String ak304(EDIStreamValidationError type) {
        return switch (type) {
            case UNRECOGNIZED_SEGMENT_ID -> "1";
            case UNEXPECTED_SEGMENT -> "2";
            case MANDATORY_SEGMENT_MISSING -> "3";
            case LOOP_OCCURS_OVER_MAXIMUM_TIMES -> "4";
            case SEGMENT_EXCEEDS_MAXIMUM_USE -> "5";
            case SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET -> "6";
            case SEGMENT_NOT_IN_PROPER_SEQUENCE -> "7";
            default -> "8";
        };
    }

    private static String ak403(EDIStreamValidationError type) {
        return switch (type) {
            case REQUIRED_DATA_ELEMENT_MISSING -> "1";
            case CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING -> "2";
            case TOO_MANY_DATA_ELEMENTS -> "3";
            case DATA_ELEMENT_TOO_SHORT -> "4";
            case DATA_ELEMENT_TOO_LONG -> "5";
            case INVALID_CHARACTER_DATA -> "6";
            case INVALID_CODE_VALUE -> "7";
            case INVALID_DATE -> "8";
            case INVALID_TIME -> "9";
            case EXCLUSION_CONDITION_VIOLATED -> "10";
            case TOO_MANY_REPETITIONS -> "12";
            case TOO_MANY_COMPONENTS -> "13";
            default -> "6";
        };
    }
}
