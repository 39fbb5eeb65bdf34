package dev.orderflow.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

/** Prints a run's answers interval by interval (by second of sending), to show whether latency stayed flat. */
final class Timeline {

    private Timeline() {
    }

    /** One line per {@code intervalSeconds}: accepted, accepted/s, p50/p99/max of accepted, shed and other answers. */
    static void print(Outcomes outcomes, int intervalSeconds) {
        NavigableMap<Long, Tally> seconds = outcomes.seconds();
        if (seconds.isEmpty()) {
            return;
        }
        Report.line("%s, every %d s (by time sent, from the first request):", outcomes.label(), intervalSeconds);
        Report.line("  %9s  %-10s %9s %9s %7s %7s %7s %8s %8s", "from", "phase", "accepted", "per s", "p50", "p99", "max", "shed", "errors");
        long last = seconds.lastKey();
        for (long from = 0; from <= last; from += intervalSeconds) {
            List<Tally> slice = new ArrayList<>(seconds.subMap(from, true, from + intervalSeconds, false).values());
            if (slice.isEmpty()) {
                continue;
            }
            Tally tally = Tally.sum(slice, 2);
            String phase = outcomes.phases().at(outcomes.phases().started() + from * 1000);
            Report.line("  %7d s  %-10s %,9d %9.1f %4d ms %4d ms %4d ms %,8d %,8d", from, phase, tally.accepted(),
                    tally.accepted() / (double) intervalSeconds, tally.percentile(50), tally.percentile(99), tally.maxLatency(),
                    tally.shed(), tally.unexpected());
        }
    }
}
