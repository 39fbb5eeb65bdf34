package dev.orderflow.api.edi;

import static dev.orderflow.api.edi.X12Text.interchange;
import static dev.orderflow.api.edi.X12Text.purchaseOrder;
import static dev.orderflow.api.edi.X12Text.segments;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The EDI channel over real HTTP: 850 interchanges in (the shared public samples and our own),
 * 997s back, orders exactly as a JSON order would make them, and the 855 read back with StAEDI.
 * EDI orders reserve at the default warehouse (W1); every test stocks SKUs of its own there.
 */
class EdiIT extends IntegrationTest {

    static final MediaType X12 = MediaType.parseMediaType("application/edi-x12");
    static final String W1 = "W1";

    @Autowired
    DatabaseClient db;

    @Autowired
    io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands<String, String> redis;

    String channel;
    WebTestClient edi;
    OrderFixtures orders;

    @BeforeEach
    void aTradingPartnerChannel() {
        channel = unique("edi");
        edi = as(issueToken("channel", List.of("channel"), List.of(channel)));
        orders = new OrderFixtures(asAdmin(), edi, W1);
    }

    @Test
    void theMinimalSampleBecomesAnOrderAndIsAcknowledged() throws Exception {
        stock(W1, "0054321", 10);

        List<String> ack = segments(post(X12Text.sample("x12-850-minimal.edi")));

        assertThat(ack).contains("AK1*PO*2", "AK2*850*0003", "AK5*A", "AK9*A*1*1*1");
        // addressed back to the sender, in their delimiters
        assertThat(ack.get(0)).contains("*PARTNERID      *01*000123456      *");
        Map<String, Object> order = onlyOrder("1000012");
        assertThat(order.get("status")).isIn("ACCEPTED", "RELEASED", "PARTIALLY_SHIPPED", "SHIPPED", "COMPLETED");
        assertThat(order.get("shipTo")).isEqualTo(Map.of("name", "John Doe", "line1", "126 Any St", "city", "Hauppauge",
                "region", "NY", "postalCode", "11788-1234", "country", "US"));
        assertThat(lines(order)).singleElement().satisfies(line -> {
            assertThat(line.get("sku")).isEqualTo("0054321");
            assertThat(line.get("quantity")).isEqualTo(1);
            assertThat(line.get("unitPrice").toString()).isEqualTo("19.95");
        });
        List<String> ack855 = document((String) order.get("id"), "855");
        // BAK: original, accepted as sent, the PO number and date, our order id as the seller's order number
        assertThat(ack855).anySatisfy(segment -> assertThat(segment).startsWith("BAK*00*AD*1000012*20090827****" + order.get("id") + "*"));
        assertThat(ack855).containsSubsequence("ST*855*0001", "PO1*1*1*EA*19.95**VN*0054321",
                "ACK*IA*1*EA", "CTT*1");
    }

    @Test
    void theDistributorSampleResolvesBuyerPartsThroughTheCrossReferenceAndRejectsTheUnknownLine() throws Exception {
        String quilt = unique("QUILT");
        String flannel = unique("FLANNEL");
        stock(W1, quilt, 100);
        stock(W1, flannel, 5_000);
        edi.put().uri("/v1/edi/customers/{customer}/items", "1500").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("items", List.of(Map.of("buyerPart", "A_QU001-BLK", "sku", quilt),
                        Map.of("buyerPart", "A_QF001-BLK", "sku", flannel))))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(2);

        List<String> ack = segments(post(X12Text.sample("x12-850-distributor.edi")));

        assertThat(ack).contains("AK2*850*0001", "AK9*A*1*1*1");
        Map<String, Object> order = onlyOrder("4600000406");
        assertThat(order.get("customerId")).isEqualTo("1500");
        assertThat(order.get("currency")).isEqualTo("USD");
        // a line partly backordered: the order is taken (and goes on) with what is reserved
        assertThat(order.get("status")).isNotEqualTo("BACKORDERED");
        assertThat(lines(order)).extracting(line -> line.get("sku"), line -> line.get("quantity"), line -> line.get("reserved"),
                line -> line.get("backordered"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(quilt, 2500, 100, 2400),
                        org.assertj.core.groups.Tuple.tuple(flannel, 2000, 2000, 0));
        List<String> ack855 = document((String) order.get("id"), "855");
        assertThat(ack855).anySatisfy(segment -> assertThat(segment).startsWith("BAK*00*AC*4600000406*20140724****"));
        assertThat(ack855).containsSubsequence(
                "PO1*000100001*2500*YD*2.53**VN*" + quilt + "*BP*A_QU001-BLK", "ACK*IA*100*YD", "ACK*IB*2400*YD",
                "PO1*000200001*2000*YD*3.41**VN*" + flannel + "*BP*A_QF001-BLK", "ACK*IA*2000*YD",
                "PO1*000200002*1000*YD*3.41**BP*A_QF001-RED*VN*SINGLE LINE DIAMOND PATTERN", "ACK*IR*1000*YD",
                "CTT*3");
    }

    @Test
    void theBadControlSampleIsRejectedWithATa1AndTakesNothing() throws Exception {
        List<String> ack = segments(post(X12Text.sample("x12-850-bad-control.edi")));

        assertThat(ack).contains("TA1*000000055*" + ack.get(1).split("\\*")[2] + "*" + ack.get(1).split("\\*")[3] + "*R*001");
        assertThat(ack).contains("AK5*R", "AK9*R*1*1*0");
        assertThat(ordersWith("4600000406")).isEmpty();
    }

    @Test
    void severalPurchaseOrdersInOtherDelimitersEachBecomeAnOrderWithUnknownItemsRejectedPerLine() throws Exception {
        String a = unique("A");
        String b = unique("B");
        stock(W1, a, 50);
        stock(W1, b, 50);
        String sender = unique("S").substring(0, 10);
        String body = interchange('|', "\r\n", '^', sender, "000000101", List.of(
                purchaseOrder("PO-1", "C-1", "PO1|1|2|EA|10.00||VN|" + a, "PO1|2|1|EA|5.00||UP|" + b),
                purchaseOrder("PO-2", "C-1", "PO1|1|3|EA|10.00||VN|NO-SUCH-ITEM|UP|" + b, "PO1|2|1|EA|1.00||VN|GONE"),
                purchaseOrder("PO-3", "C-1", "PO1|1|1|EA|1.00||VN|NOTHING-KNOWN")));

        String answer = post(body);

        // the sender ends segments with CR (the LF after it is only a line break): so does the answer
        assertThat(answer).startsWith("ISA|").contains("\rGS|FA|");
        assertThat(segments(answer)).contains("AK2*850*0001", "AK2*850*0002", "AK2*850*0003", "AK9*A*3*3*3");
        assertThat(lines(onlyOrder("PO-1"))).extracting(line -> line.get("sku")).containsExactly(a, b);
        // the UPC after the unknown vendor number is ours; line 2's item is unknown: rejected on its own
        assertThat(lines(onlyOrder("PO-2"))).extracting(line -> line.get("sku"), line -> line.get("quantity"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(b, 3));
        assertThat(ordersWith("PO-3")).isEmpty();
        String po2 = (String) onlyOrder("PO-2").get("id");
        List<String> ack855 = document(po2, "855");
        assertThat(ack855).anySatisfy(segment -> assertThat(segment).startsWith("BAK*00*AC*PO-2*"));
        assertThat(ack855).containsSubsequence("ACK*IA*3*EA", "PO1*2*1*EA*1.00**VN*GONE", "ACK*IR*1*EA");
        // answered in the sender's delimiters
        assertThat(rawDocument(po2, "855")).startsWith("ISA|").contains("BAK|00|AC|PO-2");
    }

    @Test
    void aResentInterchangeOrPurchaseOrderCreatesNothingNew() throws Exception {
        String sku = unique("R");
        stock(W1, sku, 100);
        String sender = unique("S").substring(0, 10);
        List<List<String>> sets = List.of(purchaseOrder("PO-R1", "C-9", "PO1*1*2*EA*1.00**VN*" + sku));

        String first = post(interchange('*', "~", '>', sender, "000000500", sets));
        String again = post(interchange('*', "~", '>', sender, "000000500", sets));
        // the same PO in a new interchange (a new control number): the same order
        String resent = post(interchange('*', "~", '>', sender, "000000501", sets));

        assertThat(again).isEqualTo(first);
        assertThat(segments(resent)).contains("AK5*A");
        assertThat(ordersWith("PO-R1")).hasSize(1);
        assertThat(reserved(sku)).isEqualTo(2);
    }

    @Test
    void theSameInterchangePostedAtOnceIsTakenOnce() throws Exception {
        String sku = unique("C");
        stock(W1, sku, 1_000);
        String sender = unique("S").substring(0, 10);
        List<List<String>> sets = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            sets.add(purchaseOrder("PO-C" + i, "C-7", "PO1*1*3*EA*1.00**VN*" + sku));
        }
        String body = interchange('*', "~", '>', sender, "000000777", sets);

        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                posts.add(pool.submit((Callable<Integer>) () -> edi.post().uri("/v1/edi/x12").contentType(X12).bodyValue(body)
                        .exchange().returnResult(byte[].class).getStatus().value()));
            }
            for (Future<Integer> answer : posts) {
                // the interchange's 997 (taken, or taken before), or 409 while another post is taking it
                assertThat(answer.get()).isIn(200, 409);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(segments(post(body))).contains("AK9*A*20*20*20");
        Long orderCount = db.sql("SELECT count(*) FROM orders WHERE channel = :channel").bind("channel", channel)
                .map(row -> row.get(0, Long.class)).one().block();
        assertThat(orderCount).isEqualTo(20);
        assertThat(reserved(sku)).isEqualTo(60);
    }

    /**
     * PostgreSQL fails while the interchange's orders are being stored (a trigger raises a
     * serialization failure on its third PO): the answer is a 503 and nothing of the interchange
     * remains, no order, no reservation, no claim; the resend is then taken whole.
     */
    @Test
    void anOutageWhileStoringLeavesNoneOfTheInterchange() throws Exception {
        String sku = unique("O");
        stock(W1, sku, 50);
        String sender = unique("S").substring(0, 10);
        String poison = unique("PO-X");
        List<List<String>> sets = List.of(
                purchaseOrder("PO-O1", "C-5", "PO1*1*2*EA*1.00**VN*" + sku),
                purchaseOrder("PO-O2", "C-5", "PO1*1*3*EA*1.00**VN*" + sku),
                purchaseOrder(poison, "C-5", "PO1*1*4*EA*1.00**VN*" + sku),
                purchaseOrder("PO-O4", "C-5", "PO1*1*5*EA*1.00**VN*" + sku));
        String body = interchange('*', "~", '>', sender, "000000900", sets);
        failInsertsOf(poison);
        try {
            edi.post().uri("/v1/edi/x12").contentType(X12).bodyValue(body).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().exists("Retry-After");

            assertThat(db.sql("SELECT count(*) FROM orders WHERE channel = :channel").bind("channel", channel)
                    .map(row -> row.get(0, Long.class)).one().block()).isZero();
            assertThat(db.sql("SELECT count(*) FROM edi_interchange WHERE sender LIKE :sender").bind("sender", "%" + sender)
                    .map(row -> row.get(0, Long.class)).one().block()).isZero();
            assertThat(reserved(sku)).isZero();
            assertThat(dev.orderflow.api.support.StockAssertions.availableInRedis(redis, W1, sku)).isEqualTo(50);
        } finally {
            db.sql("DROP TRIGGER IF EXISTS fail_poison ON orders").then().block();
        }

        assertThat(segments(post(body))).contains("AK9*A*4*4*4");
        assertThat(db.sql("SELECT count(*) FROM orders WHERE channel = :channel").bind("channel", channel)
                .map(row -> row.get(0, Long.class)).one().block()).isEqualTo(4);
        assertThat(reserved(sku)).isEqualTo(14);
    }

    /** A trigger that fails the insert of one PO's order as PostgreSQL fails a transaction it had to abort. */
    private void failInsertsOf(String externalRef) {
        db.sql("""
                CREATE OR REPLACE FUNCTION fail_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.external_ref = '%s' THEN
                    RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001';
                  END IF;
                  RETURN NEW;
                END $$""".formatted(externalRef)).then().block();
        db.sql("CREATE TRIGGER fail_poison BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION fail_poison()").then().block();
    }

    @Test
    void truncatedOrNonX12InputIsRefusedCleanly() throws Exception {
        String sku = unique("T");
        stock(W1, sku, 10);
        String sender = unique("S").substring(0, 10);
        String whole = interchange('*', "~", '>', sender, "000000900",
                List.of(purchaseOrder("PO-T1", "C-1", "PO1*1*1*EA*1.00**VN*" + sku)));
        String truncated = whole.substring(0, whole.indexOf("SE*"));

        List<String> ack = segments(post(truncated));

        assertThat(ack).anyMatch(segment -> segment.startsWith("TA1*000000900*") && segment.endsWith("*R*023"));
        assertThat(ordersWith("PO-T1")).isEmpty();
        edi.post().uri("/v1/edi/x12").contentType(X12).bodyValue("{\"not\": \"x12\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(400).jsonPath("$.type").value(type -> assertThat((String) type).endsWith("not-x12"));
        // the complete interchange under the same number is still welcome
        assertThat(segments(post(whole))).contains("AK5*A");
        assertThat(ordersWith("PO-T1")).hasSize(1);
    }

    @Test
    void delimitersThatCannotCarryAnAnswerAreA400AndTakeNothing() throws Exception {
        String sku = unique("D");
        stock(W1, sku, 10);
        String sender = unique("S").substring(0, 10);
        // a letter as segment terminator: the 997 could not be written back in it (this was a 500)
        String body = interchange('*', "A", '>', sender, "000000910", List.of(purchaseOrder("PO-D1", "C-1", "PO1*1*1*EA*1.00**VN*" + sku)));

        edi.post().uri("/v1/edi/x12").contentType(X12).bodyValue(body)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("'A' is a character of the data"));
        assertThat(ordersWith("PO-D1")).isEmpty();
    }

    @Test
    void aFunctionalGroupRejectedAtItsTrailerCreatesNoOrder() throws Exception {
        String sku = unique("G");
        stock(W1, sku, 10);
        String sender = unique("S").substring(0, 10);
        // GE01 says 2 sets, the group has 1: the set is fine on its own, but its group is rejected
        String body = interchange('*', "~", '>', sender, "000000912", List.of(purchaseOrder("PO-G1", "C-1", "PO1*1*1*EA*1.00**VN*" + sku)))
                .replace("GE*1*", "GE*2*");

        List<String> ack = segments(post(body));

        assertThat(ack).contains("AK5*A").anySatisfy(segment -> assertThat(segment).startsWith("AK9*R"));
        assertThat(ordersWith("PO-G1")).isEmpty();
        assertThat(reserved(sku)).isZero();
    }

    @Test
    void aNulInAPurchaseOrderRejectsThatPurchaseOrderOnly() throws Exception {
        String sku = unique("N");
        stock(W1, sku, 10);
        String sender = unique("S").substring(0, 10);
        // PostgreSQL cannot store U+0000: this reached the database (a 500)
        String body = interchange('*', "~", '>', sender, "000000911", List.of(
                purchaseOrder("PO-N1", "C-1", "PO1*1*1*EA*1.00**VN*" + sku),
                purchaseOrder("PO-N2", "C-\0", "PO1*1*1*EA*1.00**VN*" + sku)));

        List<String> ack = segments(post(body));

        assertThat(ack).containsSubsequence("AK2*850*0001", "AK5*A", "AK2*850*0002", "AK3*N1*4**8", "AK4*4**6", "AK5*R*5");
        assertThat(ordersWith("PO-N1")).hasSize(1);
        assertThat(ordersWith("PO-N2")).isEmpty();
    }

    @Test
    void aShipmentAndItsInvoiceAreSentBackAsAn856AndAn810AndAsEvents() throws Exception {
        String sku = unique("L");
        stock(W1, sku, 10);
        String sender = unique("S").substring(0, 10);
        post(interchange('*', "~", '>', sender, "000000300",
                List.of(purchaseOrder("PO-L1", "C-3", "PO1*7*4*CA*2.50**VN*" + sku + "*BP*CUST-PART-7"))));
        String id = (String) onlyOrder("PO-L1").get("id");
        orders.awaitStatus(id, "RELEASED");

        as(issueToken("user", List.of("warehouse"), List.of())).post().uri("/v1/orders/{id}/shipments", id)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("shipmentId", "SHIP-1", "lines", List.of(Map.of("lineNo", 1, "quantity", 4)),
                        "carrier", "UPSN", "trackingNumber", "1Z999"))
                .exchange()
                .expectStatus().isOk();
        orders.awaitStatus(id, "COMPLETED");

        assertThat(document(id, "856")).containsSubsequence("ST*856*0001", "HL*1**S", "TD5*****UPSN", "REF*CN*1Z999",
                "HL*2*1*O", "PRF*PO-L1", "HL*3*2*I", "LIN*7*VN*" + sku + "*BP*CUST-PART-7", "SN1**4*CA", "CTT*3")
                .anySatisfy(segment -> assertThat(segment).startsWith("BSN*00*SHIP-1*"));
        List<String> invoice = document(id, "810");
        assertThat(invoice).anySatisfy(segment -> assertThat(segment).matches("BIG\\*\\d{8}\\*[^*]+\\*20261120\\*PO-L1\\*\\*\\*DI"));
        assertThat(invoice).containsSubsequence("ST*810*0001", "IT1*7*4*CA*2.50**VN*" + sku + "*BP*CUST-PART-7", "TDS*1000", "CTT*1");
        // each document is also an event of the order, which webhooks and streams carry
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> orders.timelineTypes(id).containsAll(List.of("edi.855", "edi.856", "edi.810")));
        assertThat(orders.timelineTypes(id).stream().filter(type -> type.startsWith("edi."))).hasSize(3);
    }

    @Test
    void aDocumentThatCannotBeWrittenIsSetAsideAndTheDocumentsBehindItStillGoOut() throws Exception {
        String sku = unique("U");
        stock(W1, sku, 10);
        String sender = unique("S").substring(0, 10);
        post(interchange('*', "~", '>', sender, "000000311", List.of(purchaseOrder("PO-U1", "C-3", "PO1*1*2*EA*2.50**VN*" + sku))));
        String broken = (String) onlyOrder("PO-U1").get("id");
        document(broken, "855");
        orders.awaitStatus(broken, "RELEASED");
        // what the order remembers of its sender no longer fits an ISA (ISA06 holds 15 characters)
        db.sql("UPDATE orders SET origin = jsonb_set(origin, '{senderId}', to_jsonb(repeat('X', 20))) WHERE id = :id")
                .bind("id", java.util.UUID.fromString(broken)).then().block(Duration.ofSeconds(10));
        as(issueToken("user", List.of("warehouse"), List.of())).post().uri("/v1/orders/{id}/shipments", broken)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("shipmentId", "SHIP-U1", "lines", List.of(Map.of("lineNo", 1, "quantity", 2)), "carrier", "UPSN", "trackingNumber", "1Z1"))
                .exchange()
                .expectStatus().isOk();

        post(interchange('*', "~", '>', sender, "000000312", List.of(purchaseOrder("PO-U2", "C-3", "PO1*1*1*EA*2.50**VN*" + sku))));
        String next = (String) onlyOrder("PO-U2").get("id");

        // the 856 that cannot be written does not hold up the 855 of the order after it
        assertThat(document(next, "855")).contains("CTT*1");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> orders.timelineTypes(broken).contains(dev.orderflow.orchestration.edi.EdiDocuments.UNWRITABLE_EVENT));
        @SuppressWarnings("unchecked")
        Map<String, Object> setAside = (Map<String, Object>) orders.timeline(broken).stream()
                .filter(entry -> "edi.unwritable".equals(entry.get("type"))).findFirst().orElseThrow().get("data");
        assertThat(setAside).containsEntry("kind", "856").containsEntry("sourceId", "SHIP-U1");
        assertThat((String) setAside.get("reason")).startsWith("could not write the 856 for PO PO-U1: ");
        edi.get().uri("/v1/orders/{id}/edi/856", broken).exchange().expectStatus().isNotFound();
        assertThat(orders.timelineTypes(broken)).doesNotContain("edi.856");
    }

    @Test
    void onlyChannelsPostInterchangesAndOnlyTheirOwnOrdersHaveDocuments() throws Exception {
        stock(W1, "0054321", 10);
        String partner = issueToken("partner", List.of("partner"), List.of(channel));
        as(partner).post().uri("/v1/edi/x12").contentType(X12).bodyValue(X12Text.sample("x12-850-minimal.edi"))
                .exchange().expectStatus().isForbidden();
        edi.post().uri("/v1/edi/x12").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isEqualTo(415);
        post(X12Text.sample("x12-850-minimal.edi"));
        String id = (String) onlyOrder("1000012").get("id");

        as(channelToken()).get().uri("/v1/orders/{id}/edi/855", id).exchange().expectStatus().isNotFound();
        edi.get().uri("/v1/orders/{id}/edi/999", id).exchange().expectStatus().isNotFound();
        String jsonOrder = orders.place(dev.orderflow.api.support.OrderflowClient.order(unique("PO"), W1, "0054321", 1));
        edi.get().uri("/v1/orders/{id}/edi/855", jsonOrder).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").value(type -> assertThat((String) type).endsWith("not-an-edi-order"));
    }

    private String post(String body) {
        EntityExchangeResult<byte[]> result = edi.post().uri("/v1/edi/x12").contentType(X12).bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(X12)
                .expectBody()
                .returnResult();
        return new String(result.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private List<String> document(String orderId, String kind) throws Exception {
        return segments(rawDocument(orderId, kind));
    }

    /** The document once it has been written (the writer follows the outbox). */
    private String rawDocument(String orderId, String kind) {
        String[] body = new String[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
            var answer = edi.get().uri("/v1/orders/{id}/edi/{kind}", orderId, kind).exchange().expectBody().returnResult();
            if (answer.getStatus().value() != 200) {
                return false;
            }
            body[0] = new String(answer.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8);
            return true;
        });
        return body[0];
    }

    private List<Map<String, Object>> ordersWith(String externalRef) {
        @SuppressWarnings("unchecked")
        Map<String, Object> page = edi.get().uri("/v1/orders?externalRef={ref}", externalRef).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        return items;
    }

    private Map<String, Object> onlyOrder(String externalRef) {
        List<Map<String, Object>> found = ordersWith(externalRef);
        assertThat(found).hasSize(1);
        return orders.get((String) found.get(0).get("id"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> lines(Map<String, Object> order) {
        return (List<Map<String, Object>>) order.get("lines");
    }

    private long reserved(String sku) {
        return dev.orderflow.api.support.StockAssertions.reservedInPostgres(db, W1, sku);
    }
}
