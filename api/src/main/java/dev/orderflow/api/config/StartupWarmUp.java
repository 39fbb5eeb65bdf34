package dev.orderflow.api.config;

import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Does at start-up, on the main thread, what libraries would otherwise do lazily with blocking I/O
 * on the first request that needs it, on an event loop. Hibernate Validator reads its message
 * bundles from its jar the first time a constraint fails.
 */
@Component
class StartupWarmUp implements SmartInitializingSingleton {

    private final Validator validator;

    StartupWarmUp(Validator validator) {
        this.validator = validator;
    }

    @Override
    public void afterSingletonsInstantiated() {
        validator.validate(new Probe(null)).forEach(violation -> violation.getMessage());
    }

    private record Probe(@NotNull String value) {
    }
}
