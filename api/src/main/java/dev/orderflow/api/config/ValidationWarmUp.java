package dev.orderflow.api.config;

import jakarta.validation.Validator;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.math.BigDecimal;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Bean Validation reads its message bundles (and starts its expression language) from the jars the
 * first time a constraint fails. Left lazy, that file read would happen on an event loop inside the
 * first invalid request; here it happens at start-up, on the main thread.
 */
@Component
class ValidationWarmUp implements SmartInitializingSingleton {

    private final Validator validator;

    ValidationWarmUp(Validator validator) {
        this.validator = validator;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (validator.validate(new Probe(0, BigDecimal.ZERO, "")).isEmpty()) {
            throw new IllegalStateException("Bean Validation is not active: the probe broke three constraints");
        }
    }

    /** Breaks a plain constraint, a parameterised one and one whose message uses the expression language. */
    private record Probe(@Min(1) int count, @DecimalMin("1") BigDecimal amount, @NotBlank String name) {
    }
}
