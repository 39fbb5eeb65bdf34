package dev.orderflow.orchestration.edi;

import static dev.orderflow.orchestration.edi.X12InterchangeTest.isa;
import static dev.orderflow.orchestration.edi.X12InterchangeTest.po850;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whatever envelope the reader takes, an acknowledgment can be addressed from it. The 997 and TA1
 * repeat ISA05-08 (swapped), ISA12 and ISA15, and the 997 GS01, GS06 and GS08; if the reader lets
 * through a value StAEDI will not write back, the sender gets no answer at all. Every byte value is
 * tried at the first and last character of each of those elements.
 */
class EnvelopeAnswerabilityTest {

    private static final String ISA = isa('*', "000000091", '>');
    private static final String GS = "GS*PO*BUYER*SELLER*20240101*1200*91*X*004010";
    private static final String REST = "~" + po850("0001", "PO-1", "PO1*1*1*EA*1**VN*X") + "~GE*1*91~IEA*1*000000091~";

    @Test
    void everyEnvelopeTheReaderTakesCanBeAcknowledged() {
        List<String> unanswerable = new ArrayList<>();
        int taken = 0;
        for (int element : new int[] {5, 6, 7, 8, 12, 15}) {
            for (String isa : damaged(ISA, element)) {
                taken += answerable(isa + "~" + GS, "ISA" + element, unanswerable);
            }
        }
        for (int element : new int[] {1, 6, 8}) {
            for (String gs : damaged(GS, element)) {
                taken += answerable(ISA + "~" + gs, "GS" + element, unanswerable);
            }
        }

        assertThat(taken).as("interchanges the reader took").isGreaterThan(0);
        assertThat(unanswerable).isEmpty();
    }

    /** 1 if the reader took the interchange (and {@code unanswerable} says if no 997 could be written), 0 if it refused it whole. */
    private static int answerable(String envelope, String damage, List<String> unanswerable) {
        String edi = envelope + REST;
        X12Envelope read = X12Interchange.read(new ByteArrayInputStream(edi.getBytes(StandardCharsets.ISO_8859_1)), po -> { });
        if (read.delimiters() == null) {
            return 0; // refused whole: the 400 that says why
        }
        try {
            Ack997Writer.write(read, 1, LocalDateTime.of(2024, 1, 1, 12, 0), new ByteArrayOutputStream());
        } catch (Exception | AssertionError e) {
            unanswerable.add(damage + " in " + envelope.replace("\0", "\\0") + ": " + e.getMessage());
        }
        return 1;
    }

    /** {@code segment} with each byte value but the delimiters at the first and at the last character of {@code element}. */
    private static List<String> damaged(String segment, int element) {
        int start = startOf(segment, element);
        int end = startOf(segment, element + 1) - 1;
        List<String> variants = new ArrayList<>();
        for (int offset : new int[] {start, end - 1}) {
            for (int b = 0; b < 256; b++) {
                if (b != '*' && b != '~' && b != '>') { // a delimiter moves the fields: another kind of damage
                    variants.add(segment.substring(0, offset) + (char) b + segment.substring(offset + 1));
                }
            }
        }
        return variants;
    }

    /** Where element {@code n} (1-based) of {@code segment} starts; past its end for the one after the last. */
    private static int startOf(String segment, int n) {
        int at = 0;
        for (int i = 0; i < n; i++) {
            int next = segment.indexOf('*', at);
            at = next < 0 ? segment.length() + 1 : next + 1;
        }
        return at;
    }
}
