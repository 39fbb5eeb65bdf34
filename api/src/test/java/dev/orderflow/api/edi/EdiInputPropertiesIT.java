package dev.orderflow.api.edi;

import static dev.orderflow.api.support.ProblemAssertions.assertAcceptedOrProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.PropertyIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code POST /v1/edi/x12} with damaged interchanges of two 850s: truncated, odd or clashing
 * delimiters, segments dropped, doubled or swapped, wrong counts and control numbers, characters
 * replaced, garbage. Every answer is a 997 (200, {@code application/edi-x12}) or a 4xx problem whose
 * {@code status} is the HTTP status; never a 5xx, never a stack trace. And what a 997 or TA1
 * rejects takes nothing: a rejected interchange or functional group leaves no order behind.
 */
class EdiInputPropertiesIT extends PropertyIntegrationTest {

    private static final MediaType X12 = MediaType.parseMediaType("application/edi-x12");
    private static final String SKU = unique("E");
    private static volatile boolean stocked;

    private WebTestClient edi;

    @BeforeProperty
    void stockAtTheDefaultWarehouseAndAChannel() {
        if (!stocked) {
            stock("W1", SKU, 1_000_000);
            stocked = true;
        }
        edi = as(channelToken());
    }

    @Property(tries = 500)
    void anyDamagedInterchangeIsAnAcknowledgmentOrAProblem(@ForAll("damagedInterchanges") Damaged damaged) throws Exception {
        EntityExchangeResult<byte[]> answer = edi.post().uri("/v1/edi/x12")
                .contentType(X12)
                .bodyValue(damaged.bytes())
                .exchange()
                .expectBody()
                .returnResult();

        int status = answer.getStatus().value();
        String contentType = answer.getResponseHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
        String body = answer.getResponseBody() == null ? "" : new String(answer.getResponseBody(), StandardCharsets.ISO_8859_1);
        if (assertAcceptedOrProblem(status, contentType, body)) {
            assertThat(status).isEqualTo(200);
            assertThat(MediaType.parseMediaType(contentType).isCompatibleWith(X12)).as("content type %s", contentType).isTrue();
            assertThat(body).as("a 997 for %s", damaged).startsWith("ISA");
            List<String> ack = X12Text.segments(body);
            if (rejected(ack)) {
                assertThat(ordersWith(damaged.poNumbers())).as("orders kept after %s answered %s", damaged, ack).isZero();
            }
            if (damaged.intact()) {
                assertThat(ack).as("the intact interchange is accepted").contains("AK9*A*2*2*2");
                assertThat(ordersWith(damaged.poNumbers())).isEqualTo(2);
            }
        } else {
            assertThat(ordersWith(damaged.poNumbers())).as("orders kept after %s answered %s", damaged, status).isZero();
        }
    }

    /** The interchange was refused, or its only functional group was. */
    private static boolean rejected(List<String> ack) {
        return ack.stream().anyMatch(segment -> segment.startsWith("AK9*R") || segment.matches("TA1\\*.*\\*R\\*.*"))
                || ack.stream().noneMatch(segment -> segment.startsWith("AK9"));
    }

    private int ordersWith(List<String> poNumbers) {
        int found = 0;
        for (String po : poNumbers) {
            Map<?, ?> page = edi.get().uri(uri -> uri.path("/v1/orders").queryParam("externalRef", po).build())
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody(Map.class)
                    .returnResult()
                    .getResponseBody();
            found += ((List<?>) page.get("items")).size();
        }
        return found;
    }

    record Damaged(List<String> poNumbers, String description, byte[] bytes) {
        boolean intact() {
            return description.startsWith("intact");
        }

        @Override
        public String toString() {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            return description + ": " + (text.length() > 600 ? text.substring(0, 600) + "..." : text);
        }
    }

    @Provide
    Arbitrary<Damaged> damagedInterchanges() {
        Arbitrary<Integer> controlNumbers = Arbitraries.integers().between(1, 999_999_999);
        return Combinators.combine(segmentDamage(), delimiters(), textDamage(), controlNumbers).as((segmentEdit, chosen, textEdit, number) -> {
            // a sender of its own per try: the same sender and control number again would be a resend
            String sender = ("P" + UUID.randomUUID().toString().replace("-", "")).substring(0, 10).toUpperCase();
            String control = String.format("%09d", number);
            List<String> pos = List.of("PO-" + UUID.randomUUID(), "PO-" + UUID.randomUUID());
            String plain = X12Text.interchange('*', "~", '>', sender, control, List.of(
                    X12Text.purchaseOrder(pos.get(0), "C-1", "PO1*1*2*EA*10.00**VN*" + SKU),
                    X12Text.purchaseOrder(pos.get(1), "C-1", "PO1*1*1*EA*5.00**VN*" + SKU, "PO1*2*1*EA*1.00**VN*" + SKU)));
            List<String> segments = new ArrayList<>(Arrays.asList(plain.split("~")));
            segmentEdit.edit().accept(segments);
            String text = chosen.write(segments);
            byte[] bytes = textEdit.edit().apply(text.getBytes(StandardCharsets.ISO_8859_1));
            String description = segmentEdit.name() + ", " + chosen + ", " + textEdit.name();
            boolean intact = segmentEdit.name().equals("segments intact") && chosen.valid() && textEdit.name().equals("text intact");
            return new Damaged(pos, (intact ? "intact " : "") + description, bytes);
        });
    }

    // ---- segments

    record SegmentEdit(String name, java.util.function.Consumer<List<String>> edit) {
    }

    private static Arbitrary<SegmentEdit> segmentDamage() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 30);
        Arbitrary<SegmentEdit> drop = index.map(i -> new SegmentEdit("segment " + i + " dropped", s -> s.remove(i % s.size())));
        Arbitrary<SegmentEdit> twice = index.map(i -> new SegmentEdit("segment " + i + " doubled", s -> s.add(i % s.size(), s.get(i % s.size()))));
        Arbitrary<SegmentEdit> swap = Combinators.combine(index, index).as((i, j) -> new SegmentEdit("segments " + i + " and " + j + " swapped", s -> {
            String first = s.get(i % s.size());
            s.set(i % s.size(), s.get(j % s.size()));
            s.set(j % s.size(), first);
        }));
        Arbitrary<SegmentEdit> element = Combinators.combine(index, Arbitraries.integers().between(1, 17), elementValues())
                .as((i, position, value) -> new SegmentEdit("segment " + i + " element " + position + " = '" + value + "'", s -> {
                    String[] elements = s.get(i % s.size()).split("\\*", -1);
                    if (position < elements.length) {
                        elements[position] = value;
                        s.set(i % s.size(), String.join("*", elements));
                    }
                }));
        // counts (SE01, GE01, IEA01, CTT01) and control numbers (ST02, GS06)
        Map<String, Integer> positions = Map.of("SE", 1, "GE", 1, "IEA", 1, "CTT", 1, "ST", 2, "GS", 6);
        Arbitrary<SegmentEdit> counts = Arbitraries.of(positions.keySet().stream().sorted().toList()).flatMap(tag ->
                Arbitraries.of("0", "1", "3", "99", "-1", "000000001", "").map(value -> new SegmentEdit(tag + " count/number = " + value, s -> {
                    for (int i = 0; i < s.size(); i++) {
                        String[] elements = s.get(i).split("\\*", -1);
                        if (elements[0].equals(tag) && elements.length > positions.get(tag)) {
                            elements[positions.get(tag)] = value;
                            s.set(i, String.join("*", elements));
                            return;
                        }
                    }
                })));
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(new SegmentEdit("segments intact", s -> { }))),
                Tuple.of(1, drop), Tuple.of(1, twice), Tuple.of(1, swap), Tuple.of(2, element), Tuple.of(2, counts));
    }

    private static Arbitrary<String> elementValues() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "-5", "0", "1e9", "99999999999999999999", "ABC", "850", "997", "00401", "X", "é", "\u0000", " "),
                Arbitraries.strings().withCharRange('!', '~').withChars('\u0000', '\u00e9', '\u00ff').ofMaxLength(30),
                Arbitraries.integers().between(90, 3_000).map("9"::repeat));
    }

    // ---- delimiters

    /** Element separator, component separator and segment terminator, as ISA declares them. */
    record Delimiters(char element, char component, String segmentEnd) {

        boolean valid() {
            return element == '*' && component == '>' && segmentEnd.equals("~");
        }

        String write(List<String> segments) {
            StringBuilder text = new StringBuilder();
            for (String segment : segments) {
                String written = segment.replace('*', element);
                if (segment.startsWith("ISA") && written.length() > 0) {
                    written = written.substring(0, written.length() - 1) + component;
                }
                text.append(written).append(segmentEnd);
            }
            return text.toString();
        }

        @Override
        public String toString() {
            return valid() ? "delimiters intact" : "delimiters element '" + element + "' component '" + component + "' segment '"
                    + segmentEnd.replace("\r", "\\r").replace("\n", "\\n") + "'";
        }
    }

    private static Arbitrary<Delimiters> delimiters() {
        Arbitrary<Character> odd = Arbitraries.of('*', '>', '~', '|', '^', 'A', '1', ' ', '\u0000', '\n', '\u00e9', ':', '.');
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(new Delimiters('*', '>', "~"))),
                Tuple.of(1, Arbitraries.just(new Delimiters('|', '^', "\r\n"))),
                Tuple.of(2, Combinators.combine(odd, odd, odd).as((e, c, s) -> new Delimiters(e, c, String.valueOf(s)))));
    }

    // ---- the text

    record TextEdit(String name, java.util.function.UnaryOperator<byte[]> edit) {
    }

    private static Arbitrary<TextEdit> textDamage() {
        Arbitrary<Double> share = Arbitraries.doubles().between(0, 1);
        Arbitrary<TextEdit> truncated = share.map(at -> new TextEdit("truncated at " + Math.round(at * 100) + "%",
                text -> Arrays.copyOf(text, (int) (text.length * at))));
        Arbitrary<TextEdit> replaced = Combinators.combine(share, Arbitraries.bytes()).as((at, b) -> new TextEdit(
                "byte " + b + " at " + Math.round(at * 100) + "%", text -> {
                    byte[] copy = text.clone();
                    copy[Math.min(copy.length - 1, (int) (copy.length * at))] = b;
                    return copy;
                }));
        Arbitrary<TextEdit> prefixed = Arbitraries.of("\ufeff", "   ", "\r\n", "GARBAGE", "\u0000")
                .map(prefix -> new TextEdit("prefixed with '" + prefix + "'", text -> concat(prefix.getBytes(StandardCharsets.UTF_8), text)));
        Arbitrary<TextEdit> replacedWhole = Arbitraries.oneOf(
                        Arbitraries.of("", "ISA", "ISA*00*", "IEA*1*000000001~", "{\"not\":\"x12\"}", "UNA:+.? 'UNB+UNOC:3'",
                                "ISA" + "*".repeat(200)),
                        Arbitraries.strings().all().ofMaxLength(300))
                .map(other -> new TextEdit("replaced by '" + other + "'", text -> other.getBytes(StandardCharsets.UTF_8)));
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(new TextEdit("text intact", text -> text))),
                Tuple.of(2, truncated), Tuple.of(2, replaced), Tuple.of(1, prefixed), Tuple.of(1, replacedWhole));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
