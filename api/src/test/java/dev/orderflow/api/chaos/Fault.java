package dev.orderflow.api.chaos;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One fault of the schedule: what breaks, for how long, how it heals, and what "recovered" means
 * for it. {@code heal} returns once the broken part is back (a restarted process answers).
 */
record Fault(String name, Duration hold, Runnable inject, Runnable heal, Recovery recovery) {

    Fault(String name, Duration hold, Runnable inject, Runnable heal) {
        this(name, hold, inject, heal, Recovery.INTAKE);
    }

    /** What must work again after the fault heals; the time to recover is measured to that moment. */
    enum Recovery {
        /** The service accepts orders again: the end of the first 2xx to a request sent after the heal began. */
        INTAKE,
        /** The engine caught up: every step of the orders placed before the heal began has settled. */
        ENGINE,
        /** The webhooks caught up: every delivery created before the heal began has been delivered. */
        WEBHOOKS
    }

    /**
     * When a fault was injected, began to heal and was healed, in epoch milliseconds; for the
     * engine and webhook faults, when their backlog was worked off (measured while the run goes on).
     */
    record Injected(String name, Recovery recovery, long injectedAt, long healingAt, long healedAt, CompletableFuture<Long> caughtUpAt) {
    }
}
