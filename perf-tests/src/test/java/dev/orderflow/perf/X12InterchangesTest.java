package dev.orderflow.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class X12InterchangesTest {

    private final String interchange = X12Interchanges.interchange("PERFAB12CD34", 42, List.of(
            new X12Interchanges.PurchaseOrder("PO-1", "B1", List.of(new OrderBodies.Line("SKU-00001", 2), new OrderBodies.Line("SKU-00002", 1))),
            new X12Interchanges.PurchaseOrder("PO-2", "B1", List.of(new OrderBodies.Line("SKU-00003", 3)))));
    private final List<String> segments = Arrays.asList(interchange.split("~"));

    @Test
    void theIsaHeaderHasItsFixedWidthAndTheControlNumberOnBothEnds() {
        // ISA is fixed width: 106 characters with its terminator
        assertThat(segments.get(0)).hasSize(105).startsWith("ISA*00*          *00*          *ZZ*PERFAB12CD34   *ZZ*ORDERFLOW      *");
        assertThat(segments.get(0)).endsWith("*000000042*0*P*>");
        assertThat(segments.get(segments.size() - 1)).isEqualTo("IEA*1*000000042");
        assertThat(segments.get(segments.size() - 2)).isEqualTo("GE*2*42");
    }

    @Test
    void eachSetCountsItsOwnSegmentsAndLines() {
        int st = segments.indexOf("ST*850*0001");
        int se = segments.indexOf("SE*11*0001");
        assertThat(se - st + 1).as("ST to SE inclusive").isEqualTo(11);
        assertThat(segments.subList(st, se)).contains("BEG*00*SA*PO-1**20261201", "CTT*2")
                .anySatisfy(segment -> assertThat(segment).matches("PO1\\*1\\*2\\*EA\\*\\d+\\.\\d\\d\\*\\*VN\\*SKU-00001"));
        assertThat(segments).contains("SE*10*0002");
    }
}
