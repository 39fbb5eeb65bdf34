package dev.orderflow.orchestration.edi;

import java.util.List;

/**
 * What {@link X12Interchange#read} learned about one interchange: its envelope, each group and
 * transaction set with their errors, and the interchange-level errors. Holds no purchase order
 * content, so it stays small however large the interchange.
 *
 * @param senderQualifier ISA05
 * @param senderId ISA06, trimmed
 * @param receiverQualifier ISA07
 * @param receiverId ISA08, trimmed
 * @param controlNumber ISA13
 * @param version ISA12 (e.g. {@code 00401})
 * @param usageIndicator ISA15 ({@code P} production, {@code T} test)
 * @param delimiters the delimiters the sender used; {@code null} if the ISA could not be read
 * @param groups the functional groups, in order
 * @param errors interchange-level errors (TA105 codes); any of them rejects the whole interchange
 */
public record X12Envelope(
        String senderQualifier,
        String senderId,
        String receiverQualifier,
        String receiverId,
        String controlNumber,
        String version,
        String usageIndicator,
        X12Delimiters delimiters,
        List<Group> groups,
        List<X12Error> errors) {

    public X12Envelope {
        groups = List.copyOf(groups);
        errors = List.copyOf(errors);
    }

    /** True when neither the interchange nor any group nor any transaction set was rejected. */
    public boolean accepted() {
        return errors.isEmpty() && groups.stream().allMatch(g -> g.status() == AckStatus.ACCEPTED);
    }

    /** True when the interchange envelope itself is bad (a TA1 or a 400, not just a 997). */
    public boolean interchangeRejected() {
        return !errors.isEmpty();
    }

    /**
     * Whether a purchase order read from this interchange may be taken: the reader hands each 850 on
     * at its SE, but the verdict on its functional group comes only at GE (a wrong set count or
     * control number there rejects the whole group, 850s already read included), and on the
     * interchange only at IEA.
     */
    public boolean takes(PurchaseOrder po) {
        return !interchangeRejected() && groups.stream()
                .filter(group -> group.controlNumber().equals(po.groupControlNumber()))
                .allMatch(group -> group.status() != AckStatus.REJECTED);
    }

    /** Every error, at any level, in reading order per level. */
    public List<X12Error> allErrors() {
        var all = new java.util.ArrayList<>(errors);
        for (Group g : groups) {
            all.addAll(g.errors());
            g.transactionSets().forEach(s -> all.addAll(s.errors()));
        }
        return all;
    }

    /**
     * The status codes X12 acknowledgments use (AK5-01, AK9-01).
     */
    public enum AckStatus {
        /** A: accepted. */
        ACCEPTED("A"),
        /** E: accepted, but errors were noted. */
        ACCEPTED_WITH_ERRORS("E"),
        /** P: partially accepted, at least one transaction set was rejected (AK9 only). */
        PARTIALLY_ACCEPTED("P"),
        /** R: rejected. */
        REJECTED("R");

        private final String code;

        AckStatus(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * One functional group.
     *
     * @param functionalIdCode GS01 ({@code PO} for 850s)
     * @param controlNumber GS06
     * @param version GS08 (e.g. {@code 004010})
     * @param declaredSetCount GE01 as sent, or -1 if the trailer is missing or unreadable
     * @param errors group-level errors (AK905 codes)
     */
    public record Group(
            String functionalIdCode,
            String controlNumber,
            String version,
            int declaredSetCount,
            List<TransactionSet> transactionSets,
            List<X12Error> errors) {

        public Group {
            transactionSets = List.copyOf(transactionSets);
            errors = List.copyOf(errors);
        }

        /** AK9-01: A, E, P or R. */
        public AckStatus status() {
            if (errors.stream().anyMatch(X12Error::rejects)) {
                return AckStatus.REJECTED;
            }
            long accepted = acceptedCount();
            if (accepted == 0 && !transactionSets.isEmpty()) {
                return AckStatus.REJECTED;
            }
            if (accepted < transactionSets.size()) {
                return AckStatus.PARTIALLY_ACCEPTED;
            }
            boolean noted = transactionSets.stream().anyMatch(s -> s.status() == AckStatus.ACCEPTED_WITH_ERRORS);
            return noted ? AckStatus.ACCEPTED_WITH_ERRORS : AckStatus.ACCEPTED;
        }

        /** Transaction sets accepted, with or without noted errors (AK9-04). */
        public int acceptedCount() {
            return (int) transactionSets.stream().filter(s -> s.status() != AckStatus.REJECTED).count();
        }
    }

    /**
     * One transaction set.
     *
     * @param code ST01 ({@code 850})
     * @param controlNumber ST02
     * @param errors set-, segment- and element-level errors (AK502, AK304, AK403 codes)
     */
    public record TransactionSet(String code, String controlNumber, List<X12Error> errors) {

        public TransactionSet {
            errors = List.copyOf(errors);
        }

        /** AK5-01: A, E or R. */
        public AckStatus status() {
            if (errors.stream().anyMatch(X12Error::rejects)) {
                return AckStatus.REJECTED;
            }
            return errors.isEmpty() ? AckStatus.ACCEPTED : AckStatus.ACCEPTED_WITH_ERRORS;
        }
    }
}
