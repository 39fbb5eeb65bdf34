package dev.orderflow.api.edi;

import static dev.orderflow.api.edi.X12Text.interchange;
import static dev.orderflow.api.edi.X12Text.purchaseOrder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;

/** {@code POST /v1/edi/x12} streams its body, so the codec's 1 MB cap does not apply; its own does. */
class EdiBodyLimitIT extends IntegrationTest {

    @Value("${orderflow.edi.max-interchange-size:16MB}")
    DataSize max;

    @Test
    void aDeclaredLengthOverTheCapIs413BeforeAByteIsRead() {
        byte[] body = new byte[(int) max.toBytes() + 1];
        Arrays.fill(body, (byte) ' ');

        EntityExchangeResult<byte[]> answer = as(channelToken()).post().uri("/v1/edi/x12")
                .contentType(EdiIT.X12)
                .bodyValue(body)
                .exchange()
                .expectBody().returnResult();

        assertProblem(answer);
    }

    @Test
    void aStreamedBodyThatGrowsPastTheCapIs413AndTakesNothing() {
        String warehouse = "W1";
        String sku = unique("SKU");
        stock(warehouse, sku, 100);
        String token = channelToken();
        String poNumber = unique("PO");
        String edi = interchange('*', "~", '>', unique("S").toUpperCase(), "000000777",
                List.of(purchaseOrder(poNumber, "C-1", "PO1*1*2*EA*1.00**VN*" + sku)));
        // a complete interchange, then more than the cap of trailing blanks, sent chunked (no Content-Length)
        byte[] blanks = new byte[1024 * 1024];
        Arrays.fill(blanks, (byte) ' ');
        DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;
        Flux<DataBuffer> body = Flux.concat(
                Flux.just(buffers.wrap(edi.getBytes(StandardCharsets.US_ASCII))),
                Flux.range(0, (int) max.toMegabytes() + 1).map(i -> buffers.wrap(blanks)));

        EntityExchangeResult<byte[]> answer = as(token).post().uri("/v1/edi/x12")
                .contentType(EdiIT.X12)
                .body(body, DataBuffer.class)
                .exchange()
                .expectBody().returnResult();

        assertProblem(answer);
        as(token).get().uri("/v1/orders?externalRef={ref}", poNumber).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    private static void assertProblem(EntityExchangeResult<byte[]> answer) {
        assertThat(answer.getStatus().value()).isEqualTo(413);
        assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(new String(answer.getResponseBodyContent())).contains("\"status\":413");
    }
}
