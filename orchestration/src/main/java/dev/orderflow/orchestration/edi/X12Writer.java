package dev.orderflow.orchestration.edi;

import io.xlate.edi.stream.EDIOutputFactory;
import io.xlate.edi.stream.EDIStreamConstants.Delimiters;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamWriter;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes one outbound interchange with StAEDI: our ISA/GS envelope addressed back to the partner
 * (their sender is our receiver), in the delimiters they use, one functional group, any number of
 * transaction sets, and the trailers with their counts. Every document Orderflow sends (997, 855,
 * 856, 810) is written through this, so envelopes are the same everywhere.
 */
final class X12Writer implements AutoCloseable {

    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");
    private static final DateTimeFormatter CCYYMMDD = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HHmm");

    private final EDIStreamWriter writer;
    private final String controlNumber;
    private final long groupControlNumber;
    private final X12Delimiters delimiters;
    private int sets;
    private int segmentsInSet;
    private String setControlNumber;

    private X12Writer(EDIStreamWriter writer, long controlNumber, X12Delimiters delimiters) {
        this.writer = writer;
        this.delimiters = delimiters;
        this.controlNumber = String.format("%09d", controlNumber);
        this.groupControlNumber = controlNumber;
    }

    /**
     * Starts an interchange and writes its ISA (and a TA1, if given, which sits before any group).
     *
     * @param partner who it goes to: their ISA05/06 become our ISA07/08, and the reverse
     * @param controlNumber ISA13 and GS06, 1..999999999
     */
    static X12Writer start(Partner partner, long controlNumber, LocalDateTime now, OutputStream out) throws EDIStreamException {
        X12Delimiters d = partner.delimiters() != null ? partner.delimiters() : X12Delimiters.STANDARD;
        EDIOutputFactory factory = EDIOutputFactory.newFactory();
        factory.setProperty(Delimiters.DATA_ELEMENT, d.element());
        factory.setProperty(Delimiters.SEGMENT, d.segment());
        factory.setProperty(Delimiters.COMPONENT_ELEMENT, d.component());
        if (d.hasRepetition()) {
            factory.setProperty(Delimiters.REPETITION, d.repetition());
        }
        X12Writer x12 = new X12Writer(factory.createEDIStreamWriter(out), controlNumber, d);
        x12.writer.setControlSchema(ControlSchemas.of(partner.isaVersion()));
        x12.writer.startInterchange();
        x12.write("ISA",
                "00", " ".repeat(10), "00", " ".repeat(10),
                pad(orDefault(partner.receiverQualifier(), "ZZ"), 2), pad(partner.receiverId(), 15),
                pad(orDefault(partner.senderQualifier(), "ZZ"), 2), pad(partner.senderId(), 15),
                now.format(YYMMDD), now.format(HHMM),
                d.hasRepetition() ? String.valueOf(d.repetition()) : "U",
                partner.isaVersion(), x12.controlNumber, "0", orDefault(partner.usageIndicator(), "P"),
                String.valueOf(d.component()));
        return x12;
    }

    /** TA1: the interchange acknowledgment, accepting or rejecting the received envelope as a whole. */
    void ta1(String receivedControlNumber, LocalDateTime received, boolean accepted, String noteCode) throws EDIStreamException {
        write("TA1", clip(orDefault(receivedControlNumber, "000000000"), 9), received.format(YYMMDD), received.format(HHMM),
                accepted ? "A" : "R", noteCode);
    }

    /** GS: one functional group of the given kind (FA 997, PR 855, SH 856, IN 810). */
    void startGroup(Partner partner, String functionalIdCode, LocalDateTime now) throws EDIStreamException {
        write("GS", functionalIdCode, orDefault(partner.receiverId(), ""), orDefault(partner.senderId(), ""),
                now.format(CCYYMMDD), now.format(HHMM), String.valueOf(groupControlNumber), "X", partner.gsVersion());
    }

    void startSet(String code) throws EDIStreamException {
        sets++;
        setControlNumber = String.format("%04d", sets);
        segmentsInSet = 0;
        segment("ST", code, setControlNumber);
    }

    /** A segment inside a transaction set (counted for SE01). Trailing empty elements are dropped. */
    void segment(String tag, String... elements) throws EDIStreamException {
        segmentsInSet++;
        write(tag, elements);
    }

    void endSet() throws EDIStreamException {
        segment("SE", String.valueOf(segmentsInSet + 1), setControlNumber);
    }

    void endGroup() throws EDIStreamException {
        write("GE", String.valueOf(sets), String.valueOf(groupControlNumber));
    }

    @Override
    public void close() throws EDIStreamException {
        write("IEA", "1", controlNumber);
        writer.endInterchange();
        writer.close();
    }

    private void write(String tag, String... elements) throws EDIStreamException {
        int last = elements.length;
        while (last > 0 && (elements[last - 1] == null || elements[last - 1].isEmpty())) {
            last--;
        }
        writer.writeStartSegment(tag);
        for (int i = 0; i < last; i++) {
            if (elements[i] == null || elements[i].isEmpty()) {
                writer.writeEmptyElement();
            } else {
                // ISA carries the delimiters themselves; elsewhere a value (a carrier's tracking
                // number, say) may hold one, which StAEDI refuses, and the document would never be sent
                writer.writeElement("ISA".equals(tag) ? elements[i] : delimiters.clean(elements[i]));
            }
        }
        writer.writeEndSegment();
    }

    /** StAEDI's envelope schema per ISA version: it checks our ISA...IEA as written. Loaded once each. */
    private static final class ControlSchemas {
        private static final java.util.Map<String, io.xlate.edi.schema.Schema> BY_VERSION = new java.util.concurrent.ConcurrentHashMap<>();

        static io.xlate.edi.schema.Schema of(String version) {
            return BY_VERSION.computeIfAbsent(version, v -> {
                try {
                    return io.xlate.edi.schema.SchemaFactory.newFactory()
                            .getControlSchema(io.xlate.edi.stream.EDIStreamConstants.Standards.X12, new String[] {"ISA", "00", "", "00", "", "", "", "", "", "", "", "", v});
                } catch (io.xlate.edi.schema.EDISchemaException e) {
                    throw new IllegalStateException("StAEDI has no X12 envelope schema for " + v, e);
                }
            });
        }
    }

    static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String pad(String value, int width) {
        String v = value == null ? "" : value;
        return v.length() >= width ? v : v + " ".repeat(width - v.length());
    }

    /**
     * The trading partner as their interchange named them: what we write back to.
     *
     * @param senderQualifier their ISA05
     * @param senderId their ISA06
     * @param receiverQualifier their ISA07 (us, as they address us)
     * @param receiverId their ISA08
     * @param version their ISA12, or null for 00401
     * @param groupVersion their GS08, or null for the ISA version plus "0"
     */
    record Partner(String senderQualifier, String senderId, String receiverQualifier, String receiverId,
            String version, String groupVersion, String usageIndicator, X12Delimiters delimiters) {

        /** Whoever sent this interchange, and in the version and delimiters they sent it. */
        static Partner of(X12Envelope received) {
            String groupVersion = received.groups().isEmpty() ? null : received.groups().get(0).version();
            return new Partner(received.senderQualifier(), received.senderId(), received.receiverQualifier(),
                    received.receiverId(), received.version(), groupVersion, received.usageIndicator(), received.delimiters());
        }

        String isaVersion() {
            return orDefault(version, "00401");
        }

        String gsVersion() {
            return orDefault(groupVersion, isaVersion() + "0");
        }
    }

    /** The received ISA13 as TA101 holds it: an over-long one is already the error the TA1 reports. */
    private static String clip(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
