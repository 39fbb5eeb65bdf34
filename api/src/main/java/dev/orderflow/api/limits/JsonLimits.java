package dev.orderflow.api.limits;

import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactoryBuilder;

/**
 * How deep and how long what Orderflow parses as JSON may be. Jackson's own defaults (500 levels,
 * 1000-digit numbers) are far beyond any order, and a deeply nested body costs stack and time; a
 * body past these is a 400 problem.
 */
public class JsonLimits implements JsonFactoryBuilderCustomizer {

    /** An order is 3 levels deep (body, lines, line); this leaves room for any request we take. */
    public static final int MAX_NESTING_DEPTH = 32;
    /** Quantities and money have a few dozen digits at most. */
    public static final int MAX_NUMBER_LENGTH = 100;

    @Override
    public void customize(JsonFactoryBuilder builder) {
        builder.streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build());
    }
}
