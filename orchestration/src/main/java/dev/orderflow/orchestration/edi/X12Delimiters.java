package dev.orderflow.orchestration.edi;

import java.util.Optional;

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

    /** Characters of numbers and ids besides letters and digits: space, decimal mark, minus sign, NUL. */
    private static final String DATA_MARKS = " .-\0";

    /**
     * Why these delimiters cannot delimit an interchange (nor an acknowledgment written back in
     * them), if they cannot: a letter, digit, space, decimal mark, minus sign or NUL is data (prices
     * and order ids go back in the 855), and two delimiters that are the same character cannot be
     * told apart.
     */
    public Optional<String> unusable() {
        for (char delimiter : new char[] {element, segment, component}) {
            if (Character.isLetterOrDigit(delimiter) || DATA_MARKS.indexOf(delimiter) >= 0) {
                return Optional.of("the delimiter " + describe(delimiter) + " is a character of the data");
            }
        }
        if (element == segment || element == component || segment == component
                || hasRepetition() && (repetition == element || repetition == segment || repetition == component)) {
            return Optional.of("two delimiters are the same character");
        }
        return Optional.empty();
    }

    /**
     * {@code value} with any delimiter in it replaced by a space (X12 004010 has no release
     * character, so a delimiter inside a value would end it) and without characters outside printable
     * ASCII, which StAEDI refuses to write: values of an order taken from a damaged interchange can
     * hold control characters, and a document that cannot be written is never sent.
     */
    public String clean(String value) {
        StringBuilder cleaned = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == element || c == segment || c == component || (hasRepetition() && c == repetition)) {
                cleaned.append(' ');
            } else if (writable(c)) {
                cleaned.append(c);
            }
        }
        return cleaned.toString();
    }

    /** Whether StAEDI writes {@code c} in a value: printable ASCII, nothing else. */
    static boolean writable(char c) {
        return c >= ' ' && c <= '~';
    }

    private static String describe(char delimiter) {
        return delimiter >= 0x21 && delimiter <= 0x7e ? "'" + delimiter + "'" : String.format("U+%04X", (int) delimiter);
    }
}
