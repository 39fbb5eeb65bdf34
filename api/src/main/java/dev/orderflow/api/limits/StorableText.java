package dev.orderflow.api.limits;

import dev.orderflow.api.problem.ClientMessage;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Text read from any JSON body must be text PostgreSQL can store, refused where it is read
 * otherwise, as a 400 naming the field, for every body at once. Two things JSON escapes can carry
 * are not: U+0000, and half of a surrogate pair ({@code "\ud800"} alone), which is no character at
 * all. Both reached the database before and failed the request there with a 500 (a lone surrogate
 * followed by a non-ASCII character is encoded by the driver as an invalid UTF-8 byte; followed by
 * anything else it was silently stored as '?').
 */
public final class StorableText extends StringDeserializer {

    private StorableText() {
    }

    /** The module that puts this in place of Jackson's own reader of strings. */
    public static JacksonModule module() {
        return new SimpleModule("orderflow-storable-text").addDeserializer(String.class, new StorableText());
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        String text = super.deserialize(parser, context);
        String unstorable = text == null ? null : unstorable(text);
        if (unstorable != null) {
            throw new UnstorableText(parser, unstorable);
        }
        return text;
    }

    /** What in {@code text} cannot be stored, or null if all of it can. */
    static String unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "U+0000 (NUL)";
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++; // a pair: one character beyond U+FFFF
                } else {
                    return String.format("an unpaired surrogate (\\u%04x)", (int) c);
                }
            }
        }
        return null;
    }

    /** Text that cannot be stored; Jackson adds the path to the field as it unwinds. */
    public static final class UnstorableText extends InvalidFormatException implements ClientMessage {

        private static final long serialVersionUID = 1L;

        private final String what;

        UnstorableText(JsonParser parser, String what) {
            super(parser, "text may not contain " + what, null, String.class);
            this.what = what;
        }

        @Override
        public String clientMessage() {
            return "text may not contain " + what + ", which Orderflow cannot store.";
        }
    }
}
