package dev.orderflow.api.support;

import dev.orderflow.api.support.JsonText.Raw;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** JSON values that break naive code, for the property tests of bad input: text, numbers, times, shapes. */
public final class OddJson {

    private OddJson() {
    }

    /** Any one of them. */
    public static Arbitrary<Object> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, strings().map(Object.class::cast)),
                Tuple.of(4, numbers()),
                Tuple.of(1, Arbitraries.of(true, false).map(Object.class::cast)),
                Tuple.of(1, Arbitraries.just(new Raw("null")).map(Object.class::cast)),
                Tuple.of(1, Arbitraries.of(List.of(), Map.of(), List.of("SKU"), Map.of("a", 1))
                        .map(Object.class::cast)),
                Tuple.of(1, Arbitraries.integers().between(1, 120).map(OddJson::nested)));
    }

    /** An edit of one of {@code paths}: removed, or one of {@link #values()}. */
    public static Arbitrary<JsonEdit> edits(List<String> paths) {
        Arbitrary<String> path = Arbitraries.of(paths);
        return Arbitraries.frequencyOf(
                Tuple.of(1, path.map(each -> new JsonEdit(each, true, null))),
                Tuple.of(4, Combinators.combine(path, values()).as((each, value) -> new JsonEdit(each, false, value))));
    }

    /**
     * Strings: NUL, lone surrogates, control and format characters, astral characters, length; and
     * times at and past what PostgreSQL can hold (a {@code since} of year +999999999 was a 500).
     */
    public static Arbitrary<String> strings() {
        Arbitrary<String> mixed = Arbitraries.strings()
                .withChars('\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\u00e9', '\u200b', '\u202e', '\ufeff', '\uffff',
                        '\ud800', '\udbff', '\udc00', '\udfff', '"', '\\', '\'', '%', '<', ';', ' ', '\t', '\n')
                .withCharRange('A', 'Z').withCharRange('0', '9')
                .ofMaxLength(40);
        Arbitrary<String> fixed = Arbitraries.of("", " ", "\u0000", "SKU\u0000", "\ud800", "\udc00x", "\ud83d\ude00", "usd",
                "US\u0000", "SHIP_COMPLETE", "ship_partial", "W1", "12.50", "1e3", "-1", "NaN", "null", "../../etc",
                "' OR 1=1 --", "\u202eDSU", "https://example.com/", "http://127.0.0.1/", "order.*");
        Arbitrary<String> times = Arbitraries.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                "-4713-11-24T00:00:00Z", "0000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-12-01T00:00:00+25:00", "2026-12-01", "yesterday");
        Arbitrary<String> long_ = Arbitraries.integers().between(90, 5_000).map("x"::repeat);
        return Arbitraries.frequencyOf(
                Tuple.of(5, mixed), Tuple.of(4, fixed), Tuple.of(1, times), Tuple.of(1, long_));
    }

    /** Number tokens: negative, zero, fractional, past int and long, past double, and too many digits. */
    public static Arbitrary<Object> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-5, 100_005).map(Object.class::cast),
                Arbitraries.of("-1", "0", "-0", "1.5", "0.0001", "100001", "2147483647", "2147483648", "-2147483649",
                        "9223372036854775808", "1e400", "-1e400", "1E-400", "123456789012345678901234567890",
                        "1" + "0".repeat(150)).map(Raw::new).map(Object.class::cast),
                Arbitraries.of("-0.01", "12.345678", "99999999999999.99", "1e9999", "NaN", "Infinity", "0x10", "12,50")
                        .map(Object.class::cast));
    }

    private static Object nested(int depth) {
        Object value = "deep";
        for (int i = 0; i < depth; i++) {
            value = i % 2 == 0 ? List.of(value) : Map.of("x", value);
        }
        return value;
    }
}
