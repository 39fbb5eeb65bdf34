package dev.orderflow.orchestration.edi;

import dev.orderflow.orchestration.edi.X12Envelope.AckStatus;
import dev.orderflow.orchestration.edi.X12Envelope.Group;
import dev.orderflow.orchestration.edi.X12Envelope.TransactionSet;
import io.xlate.edi.stream.EDIStreamException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the acknowledgment of an interchange read by {@link X12Interchange}, in the sender's
 * delimiters: its own ISA/GS envelope (sender and receiver swapped), one 997 transaction set per
 * received group (AK1), and per received transaction set an AK2, AK3/AK4 for the segment and element
 * errors and an AK5; then AK9 with the group's counts.
 *
 * <p>When the interchange envelope itself was rejected (e.g. IEA02 not matching ISA13) a TA1 with the
 * reason comes first, and every group is acknowledged as rejected: nothing in it will be processed.
 */
public final class Ack997Writer {

    private Ack997Writer() {}

    /**
     * Writes the acknowledgment.
     *
     * @param received the interchange as read; its delimiters (or the standard ones if its ISA was unreadable) are used
     * @param controlNumber the acknowledgment's own interchange and group control number, 1..999999999
     * @param now the time stamped in ISA09/10 and GS04/05
     */
    public static void write(X12Envelope received, long controlNumber, LocalDateTime now, OutputStream out)
            throws EDIStreamException {
        X12Writer.Partner partner = X12Writer.Partner.of(received);
        boolean rejected = received.interchangeRejected();
        try (X12Writer w = X12Writer.start(partner, controlNumber, now, out)) {
            if (rejected) {
                w.ta1(received.controlNumber(), now, false, received.errors().get(0).code());
            }
            w.startGroup(partner, "FA", now);
            for (Group group : received.groups()) {
                writeSet(w, group, rejected);
            }
            w.endGroup();
        }
    }

    private static void writeSet(X12Writer w, Group group, boolean interchangeRejected) throws EDIStreamException {
        w.startSet("997");
        w.segment("AK1", clip(group.functionalIdCode(), 2), clip(group.controlNumber(), 9));
        for (TransactionSet set : group.transactionSets()) {
            w.segment("AK2", clip(set.code(), 3), clip(set.controlNumber(), 9));
            writeSegmentErrors(w, set);
            AckStatus status = interchangeRejected ? AckStatus.REJECTED : set.status();
            List<String> ak5 = new ArrayList<>();
            ak5.add(status.code());
            if (status == AckStatus.REJECTED) {
                setCodes(set).stream().limit(5).forEach(ak5::add);
            }
            w.segment("AK5", ak5.toArray(String[]::new));
        }
        AckStatus groupStatus = interchangeRejected ? AckStatus.REJECTED : group.status();
        int received = group.transactionSets().size();
        int included = group.declaredSetCount() >= 0 ? group.declaredSetCount() : received;
        int accepted = interchangeRejected ? 0 : group.acceptedCount();
        List<String> ak9 = new ArrayList<>(List.of(groupStatus.code(), String.valueOf(included), String.valueOf(received),
                String.valueOf(accepted)));
        group.errors().stream().map(X12Error::code).distinct().limit(5).forEach(ak9::add);
        w.segment("AK9", ak9.toArray(String[]::new));
        w.endSet();
    }

    /** AK502 codes: the set-level ones, then "5" when segments are in error. */
    private static List<String> setCodes(TransactionSet set) {
        List<String> codes = new ArrayList<>();
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
    private static void writeSegmentErrors(X12Writer w, TransactionSet set) throws EDIStreamException {
        for (X12Error e : set.errors()) {
            if (e.scope() == X12Error.Scope.SEGMENT) {
                w.segment("AK3", clip(e.segmentTag(), 3), String.valueOf(e.segmentPosition()), "", e.code());
            } else if (e.scope() == X12Error.Scope.ELEMENT) {
                w.segment("AK3", clip(e.segmentTag(), 3), String.valueOf(e.segmentPosition()), "", "8");
                String bad = e.badData() == null ? "" : clip(e.badData(), 99);
                w.segment("AK4", String.valueOf(e.elementPosition()), "", e.code(), bad);
            }
        }
    }

    /**
     * What the sender sent, as an acknowledgment can quote it: without the characters StAEDI cannot
     * write (a damaged interchange can carry control characters; {@link X12Delimiters#clean} would
     * drop them too, but only after this cut, so here they go first and the cut keeps what can be
     * written), cut to the most the element may hold (GS01 2, control numbers 9, segment ids 3,
     * AK404 99). The value is already an error the 997 reports; quoted as it came it would make the
     * 997 itself unwritable.
     */
    static String clip(String value, int max) {
        if (value == null) {
            return null;
        }
        StringBuilder quoted = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && quoted.length() < max; i++) {
            char c = value.charAt(i);
            if (X12Delimiters.writable(c)) {
                quoted.append(c);
            }
        }
        return quoted.toString();
    }
}
