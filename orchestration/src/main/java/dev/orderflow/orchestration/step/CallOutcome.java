package dev.orderflow.orchestration.step;

import java.time.Duration;

/** What a downstream call came to. */
public sealed interface CallOutcome {

    /** 2xx; {@code body} is the answer (JSON). */
    record Success(String body) implements CallOutcome {
    }

    /** 5xx, timeout, connection failure: try again later. */
    record Transient(String error) implements CallOutcome {
    }

    /** 4xx: this request will never succeed as it is. */
    record Permanent(String error) implements CallOutcome {
    }

    /** Not attempted: the circuit is open or the bulkhead full. Does not count as an attempt. */
    record NotAttempted(Duration retryIn) implements CallOutcome {
    }
}
