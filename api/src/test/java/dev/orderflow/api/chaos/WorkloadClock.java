package dev.orderflow.api.chaos;

import java.time.Duration;

/**
 * The chaos workload's own clock: how long a fault is held, the gap between faults, the latency the
 * proxy injects, a client's pace between requests. These are durations the workload is made of, so
 * they are slept; a wait for something to happen (a backlog worked off) polls its condition instead
 * ({@link FaultSchedule}'s watcher, with Awaitility).
 */
final class WorkloadClock {

    private WorkloadClock() {
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
