package dev.orderflow.api.limits;

import dev.orderflow.api.config.OrderflowProperties;
import dev.orderflow.api.problem.ProblemWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The request limits: headers (a filter ahead of everything), JSON (Jackson's read constraints), EDI bodies. */
@Configuration(proxyBeanMethods = false)
public class LimitsConfiguration {

    @Bean
    HeaderLimits headerLimits(ProblemWriter problems) {
        return new HeaderLimits(problems);
    }

    @Bean
    JsonLimits jsonLimits() {
        return new JsonLimits();
    }

    @Bean
    BodyLimit ediBodyLimit(OrderflowProperties properties) {
        return new BodyLimit(properties.edi().maxInterchangeSize());
    }
}
