package dev.orderflow.api.chaos;

import java.time.Duration;

/**
 * One fault of the schedule: what breaks, for how long, and how it heals. {@code heal} returns once
 * the broken part is back (a restarted process answers), so the time to recover is measured from
 * there to the first order the service accepts again.
 */
record Fault(String name, Duration hold, Runnable inject, Runnable heal) {

    /** When a fault was injected, began to heal and was healed, in epoch milliseconds. */
    record Injected(String name, long injectedAt, long healingAt, long healedAt) {
    }
}
