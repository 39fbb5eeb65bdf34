package dev.orderflow.orchestration.edi;

/**
 * The delimiters a sender used, as StAEDI detected them from ISA, so a reply can use the same.
 *
 * @param repetition the repetition separator (ISA11 from version 00402 on), or {@link #NONE}
 */
public record X12Delimiters(char element, char segment, char component, char repetition) {

    /** No repetition separator (version 00401 and earlier carry a standards identifier in ISA11). */
    public static final char NONE = '\0';

    /** The common default: {@code *} elements, {@code ~} segments, {@code >} components, {@code ^} repetitions. */
    public static final X12Delimiters STANDARD = new X12Delimiters('*', '~', '>', '^');

    public boolean hasRepetition() {
        return repetition != NONE;
    }
}
