package dev.orderflow.orchestration.edi;

/**
 * One problem found while reading an interchange.
 *
 * <p>{@code code} is the X12 code for the level it sits at, so an acknowledgment can quote it:
 * TA105 for {@link Scope#INTERCHANGE}, AK905 for {@link Scope#GROUP}, AK502 for
 * {@link Scope#TRANSACTION_SET}, AK304 for {@link Scope#SEGMENT} and AK403 for
 * {@link Scope#ELEMENT}.
 *
 * @param segmentPosition position of the segment: within its transaction set (ST = 1) for set,
 *     segment and element errors, within the interchange (ISA = 1) otherwise; 0 when unknown
 * @param segmentTag the segment's tag, or {@code null} when unknown
 * @param elementPosition the element's position in the segment (1-based), 0 when not an element error
 * @param badData a copy of the offending element data, if any (AK404)
 */
public record X12Error(
        Scope scope,
        Severity severity,
        String code,
        int segmentPosition,
        String segmentTag,
        int elementPosition,
        String badData,
        String message) {

    /** Where the error belongs, and so which acknowledgment segment reports it. */
    public enum Scope {
        /** The interchange envelope (ISA/IEA): answered by a TA1 or a 400. */
        INTERCHANGE,
        /** A functional group (GS/GE): AK905. */
        GROUP,
        /** A transaction set as a whole (ST/SE): AK502. */
        TRANSACTION_SET,
        /** One segment of a transaction set: AK3. */
        SEGMENT,
        /** One element of a segment of a transaction set: AK3 then AK4. */
        ELEMENT
    }

    /** Whether the error rejects what it belongs to. */
    public enum Severity {
        /** The transaction set (or group, or interchange) is rejected. */
        REJECT,
        /** Noted, but the transaction set is still accepted (AK5 "E"): e.g. one bad PO1 line. */
        NOTE
    }

    static X12Error interchange(String ta105, int segmentPosition, String tag, String message) {
        return new X12Error(Scope.INTERCHANGE, Severity.REJECT, ta105, segmentPosition, tag, 0, null, message);
    }

    static X12Error group(String ak905, int segmentPosition, String tag, String message) {
        return new X12Error(Scope.GROUP, Severity.REJECT, ak905, segmentPosition, tag, 0, null, message);
    }

    static X12Error set(String ak502, int segmentPosition, String tag, String message) {
        return new X12Error(Scope.TRANSACTION_SET, Severity.REJECT, ak502, segmentPosition, tag, 0, null, message);
    }

    public boolean rejects() {
        return severity == Severity.REJECT;
    }
}
