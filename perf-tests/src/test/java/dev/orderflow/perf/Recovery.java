package dev.orderflow.perf;

import java.util.Map;
import java.util.NavigableMap;

/**
 * How soon after an overload the service is back to normal, from the answers of each second of
 * sending: the first second from which {@value #STABLE_SECONDS} seconds in a row have accepted
 * requests with a p99 at or under "normal", and the last second that still shed a request.
 */
final class Recovery {

    static final int STABLE_SECONDS = 5;

    private Recovery() {
    }

    /**
     * "Normal": the steady phase's p99 times {@code factor}, and at least 5 ms above it, but never
     * above {@code ceiling} (a steady phase already slower than the bound was not a sustainable rate,
     * and "back to it" would prove nothing).
     */
    static long normalP99(long steadyP99, double factor, long ceiling) {
        return Math.min(Math.max(Math.round(steadyP99 * factor), steadyP99 + 5), ceiling);
    }

    /**
     * Seconds from {@code overloadEnd} (the first second back at the normal rate) to the first
     * second of a stable stretch, looking no further than {@code end}; -1 if none starts in time.
     */
    static long secondsToRecover(NavigableMap<Long, Tally> seconds, long overloadEnd, long end, long normal) {
        for (long start = overloadEnd; start + STABLE_SECONDS <= end; start++) {
            if (stableFrom(seconds, start, normal)) {
                return start - overloadEnd;
            }
        }
        return -1;
    }

    private static boolean stableFrom(NavigableMap<Long, Tally> seconds, long start, long normal) {
        for (long second = start; second < start + STABLE_SECONDS; second++) {
            Tally tally = seconds.get(second);
            // a second with nothing accepted is not normal: everything was shed or unanswered
            if (tally == null || tally.accepted() == 0 || tally.percentile(99) > normal) {
                return false;
            }
        }
        return true;
    }

    /** Seconds from {@code overloadEnd} to the end of the last second that shed a request; 0 if none after it did. */
    static long secondsShedding(NavigableMap<Long, Tally> seconds, long overloadEnd) {
        long last = -1;
        for (Map.Entry<Long, Tally> second : seconds.tailMap(overloadEnd, true).entrySet()) {
            if (second.getValue().shed() > 0) {
                last = second.getKey();
            }
        }
        return last < 0 ? 0 : last - overloadEnd + 1;
    }
}
