package dev.orderflow.orchestration.edi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Pads a short ISA to its fixed width before StAEDI sees it. StAEDI finds the delimiters at fixed
 * offsets of the 106-character ISA and refuses an ISA whose ID fields were not space-padded (one of
 * the shared public samples has a 11-character ISA08). Only too-short ID/authorisation fields are
 * padded; anything else is passed through untouched for StAEDI to judge. Reads at most the ISA
 * segment; the rest of the stream is not buffered.
 */
final class IsaHeader {

    /** Fixed widths of ISA01..ISA16. */
    private static final int[] WIDTHS = {2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1};
    /** Elements padded with trailing spaces when short (ISA02, ISA04, ISA06, ISA08). */
    private static final int[] PADDED = {2, 4, 6, 8};
    private static final int MAX_HEADER = 256;

    private IsaHeader() {}

    static InputStream normalised(InputStream in) throws IOException {
        byte[] head = new byte[MAX_HEADER];
        int len = 0;
        int delimiters = 0;
        byte elementDelimiter = 0;
        // read byte by byte up to the segment terminator after ISA16 (element 16 + 1 char + terminator)
        int afterLast = -1;
        while (len < MAX_HEADER) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head[len++] = (byte) b;
            if (len == 4) {
                if (head[0] != 'I' || head[1] != 'S' || head[2] != 'A') {
                    return rest(head, len, in);
                }
                elementDelimiter = head[3];
            } else if (len > 4 && b == elementDelimiter) {
                if (++delimiters == 15) {
                    afterLast = len;
                }
            }
            if (afterLast > 0 && len == afterLast + 2) {
                break;
            }
        }
        if (afterLast < 0 || len != afterLast + 2) {
            return rest(head, len, in);
        }
        String isa = new String(head, 0, len, StandardCharsets.ISO_8859_1);
        String[] fields = isa.substring(4, afterLast - 1).split(java.util.regex.Pattern.quote(String.valueOf((char) elementDelimiter)), -1);
        if (fields.length != 15) {
            return rest(head, len, in);
        }
        for (int i : PADDED) {
            int width = WIDTHS[i - 1];
            if (fields[i - 1].length() < width) {
                fields[i - 1] = fields[i - 1] + " ".repeat(width - fields[i - 1].length());
            }
        }
        String fixed = "ISA" + (char) elementDelimiter
                + String.join(String.valueOf((char) elementDelimiter), fields)
                + (char) elementDelimiter + isa.substring(afterLast);
        return rest(fixed.getBytes(StandardCharsets.ISO_8859_1), fixed.length(), in);
    }

    private static InputStream rest(byte[] head, int len, InputStream in) {
        return new SequenceInputStream(new ByteArrayInputStream(head, 0, len), in);
    }
}
