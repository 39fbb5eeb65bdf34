package dev.orderflow.orchestration.edi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.orchestration.edi.PurchaseOrder.ItemId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class X12InterchangeTest {

    /** The shared samples sit beside the repository: module dir -> repo -> its parent. */
    static final Path SAMPLES = Path.of(System.getProperty("user.dir")).resolve("../../shared/test-data/edi").normalize();

    static InputStream sample(String name) throws IOException {
        return Files.newInputStream(SAMPLES.resolve(name));
    }

    static InputStream text(String edi) {
        return new ByteArrayInputStream(edi.getBytes(StandardCharsets.US_ASCII));
    }

    static String isa(char e, String control, char component) {
        return String.join(String.valueOf(e), "ISA", "00", "          ", "00", "          ", "ZZ", "BUYER          ",
                "ZZ", "SELLER         ", "240101", "1200", "U", "00401", control, "0", "T", String.valueOf(component));
    }

    static String po850(String st02, String po, String... po1) {
        var segs = new ArrayList<String>();
        segs.add("ST*850*" + st02);
        segs.add("BEG*00*SA*" + po + "**20240101");
        segs.add("N1*BY*Acme*92*C1");
        segs.addAll(List.of(po1));
        segs.add("SE*" + (segs.size() + 1) + "*" + st02);
        return String.join("~\n", segs);
    }

    final List<PurchaseOrder> pos = new ArrayList<>();

    @Test
    void minimalSampleGivesOneOrderWithVendorItem() throws IOException {
        X12Envelope env = X12Interchange.read(sample("x12-850-minimal.edi"), pos::add);

        assertThat(env.allErrors()).isEmpty();
        assertThat(env.accepted()).isTrue();
        assertThat(env.senderId()).isEqualTo("000123456");
        assertThat(env.receiverId()).isEqualTo("PARTNERID");
        assertThat(env.controlNumber()).isEqualTo("000000055");
        assertThat(env.delimiters()).isEqualTo(new X12Delimiters('*', '~', '>', X12Delimiters.NONE));
        assertThat(env.groups()).singleElement().satisfies(g -> {
            assertThat(g.controlNumber()).isEqualTo("2");
            assertThat(g.functionalIdCode()).isEqualTo("PO");
            assertThat(g.transactionSets()).extracting(X12Envelope.TransactionSet::controlNumber).containsExactly("0003");
        });
        assertThat(pos).singleElement().satisfies(po -> {
            assertThat(po.externalRef()).isEqualTo("1000012");
            assertThat(po.poDate()).isEqualTo(LocalDate.of(2009, 8, 27));
            assertThat(po.shipTo().name()).isEqualTo("John Doe");
            assertThat(po.shipTo().addressLines()).containsExactly("126 Any St");
            assertThat(po.shipTo().postalCode()).isEqualTo("11788-1234");
            assertThat(po.lines()).singleElement().satisfies(l -> {
                assertThat(l.quantity()).isEqualTo(1);
                assertThat(l.unitPrice()).isEqualByComparingTo("19.95");
                assertThat(l.itemIds()).containsExactly(new ItemId("VN", "0054321"));
            });
        });
    }

    @Test
    void distributorSampleGivesThreeBuyerPartLinesShipToAndBuyer() throws IOException {
        // this sample's ISA08 is not padded to 15 characters: the reader pads it before StAEDI
        X12Envelope env = X12Interchange.read(sample("x12-850-distributor.edi"), pos::add);

        assertThat(env.allErrors()).isEmpty();
        assertThat(pos).singleElement().satisfies(po -> {
            assertThat(po.externalRef()).isEqualTo("4600000406");
            assertThat(po.currency()).isEqualTo("USD");
            assertThat(po.buyer().qualifier()).isEqualTo("BY");
            assertThat(po.buyer().id()).isEqualTo("1500");
            assertThat(po.shipTo().name()).isEqualTo("Transplace Laredo");
            assertThat(po.shipTo().city()).isEqualTo("Laredo");
            assertThat(po.shipTo().country()).isEqualTo("US");
            assertThat(po.lines()).extracting(PurchaseOrder.Line::quantity).containsExactly(2500, 2000, 1000);
            assertThat(po.lines().get(1).itemIds()).containsExactly(
                    new ItemId("BP", "A_QF001-BLK"), new ItemId("VN", "SINGLE LINE DIAMOND PATTERN"));
            assertThat(po.lines().get(2).unitPrice()).isEqualByComparingTo(new BigDecimal("3.41"));
        });
    }

    @Test
    void badControlSampleIsAnEnvelopeErrorNotAnException() throws IOException {
        X12Envelope env = X12Interchange.read(sample("x12-850-bad-control.edi"), pos::add);

        assertThat(env.interchangeRejected()).isTrue();
        assertThat(env.errors()).extracting(X12Error::code).containsExactly("001");
        assertThat(env.errors().get(0).segmentTag()).isEqualTo("IEA");
    }

    @Test
    void otherDelimitersAndSeveralOrders() {
        String edi = isa('|', "000000077", '^') + "\n"
                + String.join("\n",
                        "GS|PO|BUYER|SELLER|20240101|1200|5|X|004010",
                        "ST|850|0001", "BEG|00|SA|PO-1||20240101", "PO1|1|3|EA|2.50||VN|A-1|UP|0123", "SE|4|0001",
                        "ST|850|0002", "BEG|00|SA|PO-2||20240101", "PO1|1|1|EA|9||VN|B-2", "SE|4|0002",
                        "GE|2|5", "IEA|1|000000077") + "\n";

        X12Envelope env = X12Interchange.read(text(edi), pos::add);

        assertThat(env.allErrors()).isEmpty();
        assertThat(env.delimiters()).isEqualTo(new X12Delimiters('|', '\n', '^', X12Delimiters.NONE));
        assertThat(pos).extracting(PurchaseOrder::externalRef).containsExactly("PO-1", "PO-2");
        assertThat(pos.get(0).lines().get(0).itemIds()).containsExactly(new ItemId("VN", "A-1"), new ItemId("UP", "0123"));
    }

    @Test
    void delimitersThatAreDataLeaveNothingToAnswerInAndTakeNothing() {
        String edi = String.join("A", isa('*', "000000078", '>'), "GS*PO*BUYER*SELLER*20240101*1200*5*X*004010",
                "ST*850*0001", "BEG*00*SA*PO-1**20240101", "PO1*1*3*EA*2.50**VN*X-1", "SE*4*0001", "GE*1*5", "IEA*1*000000078") + "A";

        X12Envelope env = X12Interchange.read(text(edi), pos::add);

        assertThat(env.delimiters()).isNull();
        assertThat(env.allErrors()).extracting(X12Error::message).anySatisfy(message -> assertThat(message).contains("'A' is a character of the data"));
        assertThat(pos).isEmpty();
    }

    /** An ISA element a TA1 or 997 back would have to repeat, and StAEDI's writer would refuse. */
    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', value = {
            "ISA5  | *ZZ*BUYER | *XX*BUYER", // the sender's qualifier is not a code
            "ISA12 | *00401*   | *\u00010401*", // the reader takes it; trimmed, it is too short to write back
            "ISA12 | *00401*   | *!0401*"}) // not a version
    void anIsaNoAcknowledgmentCanBeAddressedFromIsRefusedWhole(String element, String value, String damaged) {
        String edi = isa('*', "000000083", '>').replace(value, damaged) + "~GS*PO*BUYER*SELLER*20240101*1200*7*X*004010~"
                + po850("0001", "OK", "PO1*1*1*EA*1**VN*X") + "~GE*1*7~IEA*1*000000083~";

        X12Envelope env = X12Interchange.read(text(edi), pos::add);

        assertThat(env.delimiters()).isNull();
        assertThat(env.allErrors()).extracting(X12Error::message)
                .anySatisfy(message -> assertThat(message).contains(element + ":", "no acknowledgment can be addressed"));
        assertThat(pos).isEmpty();
    }

    @Test
    void aNulInElementDataRejectsItsSetAndIsNeverPassedOn() {
        String edi = isa('*', "000000079", '>') + "~\n"
                + "GS*PO*BUYER*SELLER*20240101*1200*7*X*004010~\n"
                + po850("0001", "OK", "PO1*1*1*EA*1**VN*X") + "~\n"
                + po850("0002", "P\0O", "PO1*1*1*EA*1**VN*X") + "~\n"
                + "GE*2*7~IEA*1*000000079~";

        X12Envelope env = X12Interchange.read(text(edi), pos::add);

        assertThat(pos).extracting(PurchaseOrder::externalRef).containsExactly("OK");
        assertThat(env.groups().get(0).transactionSets().get(1).errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo("6");
            assertThat(error.segmentTag()).isEqualTo("BEG");
            assertThat(error.elementPosition()).isEqualTo(3);
            assertThat(error.badData()).isNull();
        });
    }

    @Test
    void aNulInTheEnvelopeIsAnEnvelopeError() {
        String edi = isa('*', "000000080", '>') + "~GS*PO*BU\0YER*SELLER*20240101*1200*7*X*004010~"
                + po850("0001", "OK", "PO1*1*1*EA*1**VN*X") + "~GE*1*7~IEA*1*000000080~";

        X12Envelope env = X12Interchange.read(text(edi), pos::add);

        // the group is made at the end of GS: the error is the interchange's, which then takes nothing
        assertThat(env.allErrors()).extracting(X12Error::message).contains("GS2: invalid character (U+0000)");
        assertThat(env.interchangeRejected()).isTrue();
    }

    @Test
    void aGroupRejectedAtItsTrailerTakesNoneOfItsPurchaseOrders() {
        String edi = isa('*', "000000081", '>') + "~\n"
                + "GS*PO*BUYER*SELLER*20240101*1200*7*X*004010~\n"
                + po850("0001", "IN-BAD-GROUP", "PO1*1*1*EA*1**VN*X") + "~\n"
                + "GE*2*7~\n"
                + "GS*PO*BUYER*SELLER*20240101*1200*8*X*004010~\n"
                + po850("0001", "IN-GOOD-GROUP", "PO1*1*1*EA*1**VN*X") + "~\n"
                + "GE*1*8~IEA*2*000000081~";

        X12Envelope env = X12Interchange.read(text(edi), pos::add);

        // the set itself was fine, so the reader handed it on before GE said otherwise
        assertThat(pos).extracting(PurchaseOrder::externalRef).containsExactly("IN-BAD-GROUP", "IN-GOOD-GROUP");
        assertThat(env.groups().get(0).status()).isEqualTo(X12Envelope.AckStatus.REJECTED);
        assertThat(pos).filteredOn(env::takes).extracting(PurchaseOrder::externalRef).containsExactly("IN-GOOD-GROUP");
    }

    @Test
    void aRejectedInterchangeTakesNothing() {
        String edi = isa('*', "000000082", '>') + "~GS*PO*BUYER*SELLER*20240101*1200*7*X*004010~"
                + po850("0001", "OK", "PO1*1*1*EA*1**VN*X") + "~GE*1*7~IEA*1*000000099~";

        X12Envelope env = X12Interchange.read(text(edi), pos::add);

        assertThat(env.groups().get(0).status()).isEqualTo(X12Envelope.AckStatus.ACCEPTED);
        assertThat(pos).singleElement().satisfies(po -> assertThat(env.takes(po)).isFalse());
    }

    @Test
    void wrongSegmentCountAndControlMismatchRejectOnlyThatSet() {
        String edi = isa('*', "000000001", '>') + "~\n"
                + "GS*PO*BUYER*SELLER*20240101*1200*7*X*004010~\n"
                + po850("0001", "OK", "PO1*1*1*EA*1**VN*X") + "~\n"
                + "ST*850*0002~BEG*00*SA*BAD-COUNT**20240101~SE*9*0002~\n"
                + "ST*850*0003~BEG*00*SA*BAD-CTRL**20240101~SE*3*0099~\n"
                + "GE*3*7~IEA*1*000000001~";

        X12Envelope env = X12Interchange.read(text(edi), pos::add);

        assertThat(pos).extracting(PurchaseOrder::externalRef).containsExactly("OK");
        var sets = env.groups().get(0).transactionSets();
        assertThat(sets.get(1).errors()).extracting(X12Error::code).containsExactly("4");
        assertThat(sets.get(2).errors()).extracting(X12Error::code).containsExactly("3");
        assertThat(env.groups().get(0).status()).isEqualTo(X12Envelope.AckStatus.PARTIALLY_ACCEPTED);
    }

    @Test
    void truncatedInputIsReportedNotThrown() throws IOException {
        byte[] whole = Files.readAllBytes(SAMPLES.resolve("x12-850-minimal.edi"));
        byte[] cut = java.util.Arrays.copyOf(whole, 300);

        X12Envelope env = X12Interchange.read(new ByteArrayInputStream(cut), pos::add);

        assertThat(pos).isEmpty();
        assertThat(env.errors()).extracting(X12Error::code).contains("023");
        assertThat(env.groups()).singleElement().satisfies(g -> {
            assertThat(g.errors()).extracting(X12Error::code).containsExactly("3");
            assertThat(g.transactionSets().get(0).errors()).extracting(X12Error::code).contains("2");
        });
        assertThat(X12Interchange.read(text(""), pos::add).errors()).isNotEmpty();
        assertThat(X12Interchange.read(text("garbage, not EDI"), pos::add).errors()).isNotEmpty();
    }

    @Test
    void nonIntegerQuantityRejectsOnlyThatLine() {
        String edi = isa('*', "000000002", '>') + "~"
                + "GS*PO*BUYER*SELLER*20240101*1200*8*X*004010~"
                + po850("0001", "PO-Q", "PO1*1*2.5*EA*1**VN*X", "PO1*2*4.0*EA*1**VN*Y") + "~"
                + "GE*1*8~IEA*1*000000002~";

        X12Envelope env = X12Interchange.read(text(edi), pos::add);

        assertThat(pos).singleElement().satisfies(po -> {
            assertThat(po.lines()).extracting(PurchaseOrder.Line::lineId).containsExactly("2");
            assertThat(po.rejectedLines()).extracting(PurchaseOrder.RejectedLine::lineId).containsExactly("1");
        });
        assertThat(env.groups().get(0).transactionSets().get(0).status()).isEqualTo(X12Envelope.AckStatus.ACCEPTED_WITH_ERRORS);
    }
}
