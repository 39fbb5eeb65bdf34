package dev.orderflow.orchestration.edi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderflow.orchestration.edi.EdiDocumentWriter.Line;
import dev.orderflow.orchestration.edi.EdiOrigin.OriginLine;
import dev.orderflow.orchestration.edi.PurchaseOrder.ItemId;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdiDocumentWriterTest {

    static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 2, 9, 30);
    static final List<Line> LINES = List.of(new Line(1, "SKU-1", 4, new BigDecimal("2.50"), 4, 0));

    static EdiOrigin origin(String senderId) {
        return new EdiOrigin(EdiOrigin.KIND, "ZZ", senderId, "ZZ", "ORDERFLOW", "00401", "004010", "P", "*~>",
                "000000001", "PO-1", LocalDate.of(2026, 12, 1),
                List.of(new OriginLine(1, "7", "CA", List.of(new ItemId("VN", "SKU-1")))), List.of());
    }

    @Test
    void anAcknowledgmentIsAnInterchangeBackToTheSenderQuotingTheirLine() throws Exception {
        String ack = EdiDocumentWriter.ack855(origin("PARTNER"), "order-1", LINES, 42, NOW);

        List<String> segments = Ack997WriterTest.readBack(ack.getBytes(StandardCharsets.UTF_8)).segments();
        assertThat(segments.get(0)).contains("*ORDERFLOW      *ZZ*PARTNER        *");
        assertThat(segments).containsSubsequence("ST*855*0001", "PO1*7*4*CA*2.50**VN*SKU-1", "ACK*IA*4*CA", "CTT*1");
    }

    @Test
    void aValueTheEnvelopeCannotHoldMakesTheDocumentUnwritableNamingWhy() {
        // ISA06 holds at most 15 characters: nothing trims it, so StAEDI's envelope schema refuses it
        EdiOrigin tooLong = origin("A-SENDER-ID-OF-TWENTY");

        assertThatThrownBy(() -> EdiDocumentWriter.ack855(tooLong, "order-1", LINES, 42, NOW))
                .isInstanceOf(UnwritableDocumentException.class)
                .hasMessageStartingWith("could not write the 855 for PO PO-1: ");
    }
}
