package dev.orderflow.api.limits;

import dev.orderflow.api.problem.ClientMessage;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Text read from any JSON body must be text PostgreSQL can store: it cannot hold U+0000 (sent as a
 * JSON escape), which otherwise reached the database and failed the request there with a 500.
 * Refused where it is read instead, as a 400 naming the field, for every body at once.
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
        if (text != null && text.indexOf('\0') >= 0) {
            throw new UnstorableText(parser);
        }
        return text;
    }

    /** Text with U+0000; Jackson adds the path to the field as it unwinds. */
    public static final class UnstorableText extends InvalidFormatException implements ClientMessage {

        private static final long serialVersionUID = 1L;

        UnstorableText(JsonParser parser) {
            super(parser, "text may not contain U+0000", null, String.class);
        }

        @Override
        public String clientMessage() {
            return "text may not contain U+0000 (NUL), which Orderflow cannot store.";
        }
    }
}
