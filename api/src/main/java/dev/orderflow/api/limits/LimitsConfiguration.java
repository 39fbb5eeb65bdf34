package dev.orderflow.api.limits;

import dev.orderflow.api.config.OrderflowProperties;
import dev.orderflow.api.problem.ProblemWriter;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JacksonModule;

/** The request limits: headers and query text (filters ahead of everything), JSON (Jackson's read constraints, text PostgreSQL can store), EDI bodies. */
@Configuration(proxyBeanMethods = false)
public class LimitsConfiguration {

    @Bean
    HeaderLimits headerLimits(ProblemWriter problems) {
        return new HeaderLimits(problems);
    }

    @Bean
    QueryText queryText(ProblemWriter problems) {
        return new QueryText(problems);
    }

    @Bean
    JsonLimits jsonLimits() {
        return new JsonLimits();
    }

    /** Boot adds every JacksonModule bean to the JSON mapper the codecs use. */
    @Bean
    JacksonModule storableText() {
        return StorableText.module();
    }

    /**
     * Integers are whole numbers: a quantity of 1.5 is a 400, where Jackson's default would quietly
     * take it as 1 (found by OrderBodyPropertiesIT's fractional quantities).
     */
    @Bean
    JsonMapperBuilderCustomizer wholeNumbersOnly() {
        return builder -> builder.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    @Bean
    BodyLimit ediBodyLimit(OrderflowProperties properties) {
        return new BodyLimit(properties.edi().maxInterchangeSize());
    }
}
