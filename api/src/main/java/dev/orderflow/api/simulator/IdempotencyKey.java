package dev.orderflow.api.simulator;

import dev.orderflow.orchestration.support.DomainException;

/** The {@code Idempotency-Key} header of a simulator call: 1 to 255 characters, like Orderflow's own. */
final class IdempotencyKey {

    static final String HEADER = "Idempotency-Key";
    private static final int MAX_LENGTH = 255;

    private IdempotencyKey() {
    }

    /** For calls that create something: without a key a retry would create it twice. */
    static String required(String key) {
        if (key == null) {
            throw invalid("The Idempotency-Key header is required: the simulator answers a retry with the same key"
                    + " as it answered the first call.");
        }
        return optional(key);
    }

    /** For calls that create nothing (a credit check, a cancel): a key, when sent, still makes a replay one call. */
    static String optional(String key) {
        if (key != null && (key.isBlank() || key.length() > MAX_LENGTH)) {
            throw invalid("The Idempotency-Key header must be 1 to " + MAX_LENGTH + " characters.");
        }
        return key;
    }

    private static DomainException invalid(String detail) {
        return new DomainException(DomainException.Kind.INVALID, "idempotency-key-invalid", "Invalid Idempotency-Key", detail);
    }
}
