package dev.orderflow.api.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Damage to a JSON body's text itself, after its fields were edited: none most often, else truncated, a byte replaced, or no object at all. */
public interface TextDamage {

    byte[] apply(byte[] text);

    static Arbitrary<TextDamage> any() {
        Arbitrary<TextDamage> none = Arbitraries.just(named("intact", text -> text));
        Arbitrary<TextDamage> truncation = Arbitraries.doubles().between(0, 1).map(share ->
                named("truncated at " + Math.round(share * 100) + "%", text -> Arrays.copyOf(text, (int) (text.length * share))));
        Arbitrary<TextDamage> garbage = Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.bytes())
                .as((share, b) -> named("byte " + b + " at " + Math.round(share * 100) + "%", text -> {
                    byte[] copy = text.clone();
                    copy[Math.min(copy.length - 1, (int) (copy.length * share))] = b;
                    return copy;
                }));
        Arbitrary<TextDamage> notAnObject = Arbitraries.of("", "[]", "null", "\"order\"", "42", "{", "}", "{\"lines\":[{}]}",
                "{\"a\":1,\"a\":2}", "\u0000", "<order/>").map(text -> named("replaced by " + text, ignored -> text.getBytes(StandardCharsets.UTF_8)));
        return Arbitraries.frequencyOf(
                Tuple.of(6, none), Tuple.of(1, truncation),
                Tuple.of(1, garbage), Tuple.of(1, notAnObject));
    }

    private static TextDamage named(String name, TextDamage damage) {
        return new TextDamage() {
            @Override
            public byte[] apply(byte[] text) {
                return damage.apply(text);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
