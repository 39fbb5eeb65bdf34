package dev.orderflow.orchestration.edi;

import dev.orderflow.orchestration.edi.X12Envelope.AckStatus;
import dev.orderflow.orchestration.edi.X12Envelope.Group;
import dev.orderflow.orchestration.edi.X12Envelope.TransactionSet;
import io.xlate.edi.stream.EDIOutputFactory;
import io.xlate.edi.stream.EDIStreamConstants.Delimiters;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamWriter;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes the 997 functional acknowledgment for an interchange read by {@link X12Interchange}, with
 * StAEDI, in the sender's delimiters: its own ISA/GS envelope (sender and receiver swapped), one
 * 997 transaction set per received group (AK1), and per received transaction set an AK2, AK3/AK4
 * for the segment and element errors and an AK5; then AK9 with the group's counts.
 *
 * <p>When the interchange envelope itself was rejected (e.g. IEA02 not matching ISA13) every group is
 * acknowledged as rejected: nothing in it will be processed. Such an interchange also deserves a
 * TA1 or a 400, which is the caller's choice.
 */
public final class Ack997Writer {

    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");
    private static final DateTimeFormatter CCYYMMDD = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HHmm");

    private Ack997Writer() {}

    /**
     * Writes the 997.
     *
     * @param received the interchange as read; its delimiters (or the standard ones if its ISA was unreadable) are used
     * @param controlNumber the 997's own interchange and group control number, 1..999999999
     * @param now the time stamped in ISA09/10 and GS04/05
     */
    public static void write(X12Envelope received, long controlNumber, LocalDateTime now, OutputStream out)
            throws EDIStreamException {
        X12Delimiters d = received.delimiters() != null ? received.delimiters() : X12Delimiters.STANDARD;
        EDIOutputFactory factory = EDIOutputFactory.newFactory();
        factory.setProperty(Delimiters.DATA_ELEMENT, d.element());
        factory.setProperty(Delimiters.SEGMENT, d.segment());
        factory.setProperty(Delimiters.COMPONENT_ELEMENT, d.component());
        if (d.hasRepetition()) {
            factory.setProperty(Delimiters.REPETITION, d.repetition());
        }
        String version = orDefault(received.version(), "00401");
        String control = String.format("%09d", controlNumber);
        EDIStreamWriter w = factory.createEDIStreamWriter(out);
        w.startInterchange();
        segment(w, "ISA",
                "00", " ".repeat(10), "00", " ".repeat(10),
                pad(orDefault(received.receiverQualifier(), "ZZ"), 2), pad(received.receiverId(), 15),
                pad(orDefault(received.senderQualifier(), "ZZ"), 2), pad(received.senderId(), 15),
                now.format(YYMMDD), now.format(HHMM),
                d.hasRepetition() ? String.valueOf(d.repetition()) : "U",
                version, control, "0", orDefault(received.usageIndicator(), "P"),
                String.valueOf(d.component()));
        List<Group> groups = received.groups();
        segment(w, "GS", "FA", orDefault(received.receiverId(), ""), orDefault(received.senderId(), ""),
                now.format(CCYYMMDD), now.format(HHMM), String.valueOf(controlNumber), "X",
                groups.isEmpty() ? version + "0" : orDefault(groups.get(0).version(), version + "0"));
        int setNumber = 0;
        for (Group group : groups) {
            setNumber++;
            writeSet(w, group, String.format("%04d", setNumber), received.interchangeRejected());
        }
        segment(w, "GE", String.valueOf(setNumber), String.valueOf(controlNumber));
        segment(w, "IEA", "1", control);
        w.endInterchange();
        w.close();
    }

    private static void writeSet(EDIStreamWriter w, Group group, String stControl, boolean interchangeRejected)
            throws EDIStreamException {
        int count = 0;
        count += segment(w, "ST", "997", stControl);
        count += segment(w, "AK1", group.functionalIdCode(), group.controlNumber());
        for (TransactionSet set : group.transactionSets()) {
            count += segment(w, "AK2", set.code(), set.controlNumber());
            count += writeSegmentErrors(w, set);
            AckStatus status = interchangeRejected ? AckStatus.REJECTED : set.status();
            String[] ak5 = new String[1 + Math.min(5, setCodes(set).size())];
            ak5[0] = status.code();
            if (status == AckStatus.REJECTED) {
                List<String> codes = setCodes(set);
                for (int i = 1; i < ak5.length; i++) {
                    ak5[i] = codes.get(i - 1);
                }
            } else {
                ak5 = new String[] {status.code()};
            }
            count += segment(w, "AK5", ak5);
        }
        AckStatus groupStatus = interchangeRejected ? AckStatus.REJECTED : group.status();
        int received = group.transactionSets().size();
        int included = group.declaredSetCount() >= 0 ? group.declaredSetCount() : received;
        int accepted = interchangeRejected ? 0 : group.acceptedCount();
        List<String> groupCodes = group.errors().stream().map(X12Error::code).distinct().limit(5).toList();
        String[] ak9 = new String[4 + groupCodes.size()];
        ak9[0] = groupStatus.code();
        ak9[1] = String.valueOf(included);
        ak9[2] = String.valueOf(received);
        ak9[3] = String.valueOf(accepted);
        for (int i = 0; i < groupCodes.size(); i++) {
            ak9[4 + i] = groupCodes.get(i);
        }
        count += segment(w, "AK9", ak9);
        segment(w, "SE", String.valueOf(count + 1), stControl);
    }

    /** AK502 codes: the set-level ones, then "5" when segments are in error. */
    private static List<String> setCodes(TransactionSet set) {
        var codes = new java.util.ArrayList<String>();
        set.errors().stream()
                .filter(e -> e.scope() == X12Error.Scope.TRANSACTION_SET)
                .map(X12Error::code)
                .distinct()
                .forEach(codes::add);
        boolean segmentsInError = set.errors().stream()
                .anyMatch(e -> e.rejects() && (e.scope() == X12Error.Scope.SEGMENT || e.scope() == X12Error.Scope.ELEMENT));
        if (segmentsInError && !codes.contains("5")) {
            codes.add("5");
        }
        return codes;
    }

    /** AK3 per segment in error, each followed by an AK4 per element in error. */
    private static int writeSegmentErrors(EDIStreamWriter w, TransactionSet set) throws EDIStreamException {
        int count = 0;
        for (X12Error e : set.errors()) {
            if (e.scope() == X12Error.Scope.SEGMENT) {
                count += segment(w, "AK3", e.segmentTag(), String.valueOf(e.segmentPosition()), "", e.code());
            } else if (e.scope() == X12Error.Scope.ELEMENT) {
                count += segment(w, "AK3", e.segmentTag(), String.valueOf(e.segmentPosition()), "", "8");
                String bad = e.badData() == null ? "" : e.badData().length() > 99 ? e.badData().substring(0, 99) : e.badData();
                count += segment(w, "AK4", String.valueOf(e.elementPosition()), "", e.code(), bad);
            }
        }
        return count;
    }

    /** Writes one segment, dropping trailing empty elements; returns 1 for the segment count. */
    private static int segment(EDIStreamWriter w, String tag, String... elements) throws EDIStreamException {
        int last = elements.length;
        while (last > 0 && (elements[last - 1] == null || elements[last - 1].isEmpty())) {
            last--;
        }
        w.writeStartSegment(tag);
        for (int i = 0; i < last; i++) {
            if (elements[i] == null || elements[i].isEmpty()) {
                w.writeEmptyElement();
            } else {
                w.writeElement(elements[i]);
            }
        }
        w.writeEndSegment();
        return 1;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String pad(String value, int width) {
        String v = value == null ? "" : value;
        return v.length() >= width ? v : v + " ".repeat(width - v.length());
    }
}
