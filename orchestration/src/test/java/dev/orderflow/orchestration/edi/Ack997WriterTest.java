package dev.orderflow.orchestration.edi;

import static org.assertj.core.api.Assertions.assertThat;

import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamConstants.Delimiters;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Ack997WriterTest {

    /** Segments of a written 997 as read back by StAEDI: "TAG*el1*el2", plus the delimiters seen. */
    record ReadBack(List<String> segments, Character element, Character segment) {}

    static ReadBack readBack(byte[] edi) throws Exception {
        var segments = new ArrayList<String>();
        Character element = null;
        Character segment = null;
        try (EDIStreamReader r = EDIInputFactory.newFactory().createEDIStreamReader(new ByteArrayInputStream(edi))) {
            StringBuilder current = null;
            while (r.hasNext()) {
                EDIStreamEvent e = r.next();
                if (e == EDIStreamEvent.START_SEGMENT) {
                    current = new StringBuilder(r.getText());
                } else if (e == EDIStreamEvent.ELEMENT_DATA && current != null) {
                    current.append('*').append(r.getText());
                } else if (e == EDIStreamEvent.END_SEGMENT && current != null) {
                    segments.add(current.toString());
                    if (element == null) {
                        element = r.getDelimiters().get(Delimiters.DATA_ELEMENT);
                        segment = r.getDelimiters().get(Delimiters.SEGMENT);
                    }
                }
            }
        }
        return new ReadBack(segments, element, segment);
    }

    static byte[] ack(String edi) throws Exception {
        X12Envelope env = X12Interchange.read(X12InterchangeTest.text(edi), po -> {});
        var out = new ByteArrayOutputStream();
        Ack997Writer.write(env, 42, LocalDateTime.of(2024, 1, 2, 3, 4), out);
        return out.toByteArray();
    }

    @Test
    void acceptedInterchangeInTheSendersDelimiters() throws Exception {
        String edi = X12InterchangeTest.isa('|', "000000077", '^') + "\n"
                + String.join("\n", "GS|PO|BUYER|SELLER|20240101|1200|5|X|004010",
                        "ST|850|0001", "BEG|00|SA|PO-1||20240101", "PO1|1|3|EA|2.50||VN|A-1", "SE|4|0001",
                        "GE|1|5", "IEA|1|000000077") + "\n";

        ReadBack back = readBack(ack(edi));

        assertThat(back.element()).isEqualTo('|');
        assertThat(back.segment()).isEqualTo('\n');
        assertThat(back.segments()).contains("AK1*PO*5", "AK2*850*0001", "AK5*A", "AK9*A*1*1*1");
        assertThat(back.segments()).anyMatch(s -> s.startsWith("ISA*") && s.contains("*SELLER         *ZZ*BUYER          *"));
    }

    @Test
    void rejectedSetsCarryTheirCodes() throws Exception {
        String edi = X12InterchangeTest.isa('*', "000000001", '>') + "~"
                + "GS*PO*BUYER*SELLER*20240101*1200*7*X*004010~"
                + X12InterchangeTest.po850("0001", "OK", "PO1*1*2.5*EA*1**VN*X", "PO1*2*1*EA*1**VN*Y") + "~"
                + "ST*850*0002~BEG*00*SA*BAD-COUNT**20240101~SE*9*0002~"
                + "ST*850*0003~BEG*00*SA*BAD-CTRL**20240101~SE*3*0099~"
                + "GE*3*7~IEA*1*000000001~";

        ReadBack back = readBack(ack(edi));

        assertThat(back.segments()).containsSubsequence(
                "AK2*850*0001", "AK3*PO1*4**8", "AK4*2**6*2.5", "AK5*E",
                "AK2*850*0002", "AK5*R*4",
                "AK2*850*0003", "AK5*R*3",
                "AK9*P*3*3*1");
    }

    @Test
    void overLongIdentifiersAreQuotedAsFarAsTheAcknowledgmentHoldsThem() throws Exception {
        String huge = "9".repeat(500);
        String edi = X12InterchangeTest.isa('*', "000000001", '>') + "~"
                + "GS*" + huge + "*BUYER*SELLER*20240101*1200*7*X*004010~"
                + X12InterchangeTest.po850("0001", "OK", "PO1*1*1*EA*1**VN*X").replace("ST*850*0001", "ST*850*" + huge) + "~"
                + "GE*1*7~IEA*1*000000001~";

        ReadBack back = readBack(ack(edi));

        assertThat(back.segments()).contains("AK1*99*7").anyMatch(s -> s.startsWith("AK2*850*999999999"))
                .allMatch(s -> s.length() < 200);
    }

    @Test
    void controlCharactersOfADamagedInterchangeAreLeftOutOfWhatTheAcknowledgmentQuotes() throws Exception {
        // found by EdiInputPropertiesIT: a damaged byte in ST01 made the 997 unwritable, and the answer a 500
        String edi = X12InterchangeTest.isa('*', "000000001", '>') + "~"
                + "GS*P\u0001O*BUYER*SELLER*20240101*1200*7*X*004010~"
                + X12InterchangeTest.po850("0001", "OK", "PO1*1*1*EA*1**VN*X").replace("ST*850*0001", "ST*8\u00105\u00070*00\u001F01") + "~"
                + "GE*1*7~IEA*1*000000001~";

        ReadBack back = readBack(ack(edi));

        assertThat(back.segments()).contains("AK1*PO*7").anyMatch(s -> s.startsWith("AK2*850*0001"));
    }

    @Test
    void aRejectedEnvelopeGetsATa1AndEverySetRejected() throws Exception {
        X12Envelope env = X12Interchange.read(X12InterchangeTest.sample("x12-850-bad-control.edi"), po -> {});
        var out = new ByteArrayOutputStream();
        Ack997Writer.write(env, 43, LocalDateTime.of(2024, 1, 2, 3, 4), out);

        ReadBack back = readBack(out.toByteArray());

        // TA1: the received ISA13, then R and TA105 001 (the control numbers do not match)
        assertThat(back.segments()).anyMatch(s -> s.startsWith("TA1*000000055*") && s.endsWith("*R*001"));
        assertThat(back.segments()).containsSubsequence("TA1*000000055*240102*0304*R*001", "GS*FA*TEST2*000123456*20240102*0304*43*X*004010", "AK2*850*0001", "AK5*R", "AK9*R*1*1*0", "IEA*1*000000043");
    }
}
