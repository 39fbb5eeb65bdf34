package dev.orderflow.api.config;

import dev.orderflow.orchestration.principal.Principals;
import dev.orderflow.orchestration.support.SecureRandoms;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Wires the orchestration library (plain classes, no Spring annotations) into the application. */
@Configuration(proxyBeanMethods = false)
public class OrchestrationConfiguration {

    OrchestrationConfiguration() {
        // seed the random source on the main thread, never lazily on an event loop
        SecureRandoms.warmUp();
    }

    @Bean
    Principals principals(DatabaseClient db, TransactionalOperator tx) {
        return new Principals(db, tx);
    }
}
