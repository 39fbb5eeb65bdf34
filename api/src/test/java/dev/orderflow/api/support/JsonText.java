package dev.orderflow.api.support;

import java.util.List;
import java.util.Map;

/**
 * Writes JSON text from maps, lists, strings, numbers, booleans and nulls, with every character
 * outside printable ASCII as a {@code \\uXXXX} escape: valid JSON that carries what a JSON library
 * would refuse to write (U+0000, unpaired surrogates). {@link Raw} values are written as they are,
 * for number tokens no Java number holds ({@code 1e400}) and for text that is not JSON at all.
 */
public final class JsonText {

    /** Text written as it is. */
    public record Raw(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private JsonText() {
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                string(String.valueOf(entry.getKey()), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof String text) {
            string(text, out);
        } else {
            out.append(value); // numbers, booleans, null, Raw
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
