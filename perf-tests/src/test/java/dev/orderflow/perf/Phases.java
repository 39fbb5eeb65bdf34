package dev.orderflow.perf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The named stretches of a run's arrival profile ("warm-up", "measured"; "steady", "overload",
 * "recovery"), timed from the moment the first request of the run is sent. A simulation builds its
 * injection profile from the same phases, so a request's phase is the stretch it was sent in.
 */
final class Phases {

    /** One stretch of the profile. */
    record Phase(String name, Duration length) {
    }

    private final List<Phase> phases;
    private final AtomicLong start = new AtomicLong();

    Phases(Phase... phases) {
        this.phases = List.of(phases);
    }

    List<Phase> all() {
        return phases;
    }

    /** The phase a request sent at {@code now} (epoch ms) belongs to; the first call starts the clock. */
    String at(long now) {
        long offset = now - startAt(now);
        long end = 0;
        for (Phase phase : phases) {
            end += phase.length().toMillis();
            if (offset < end) {
                return phase.name();
            }
        }
        return phases.get(phases.size() - 1).name();
    }

    private long startAt(long now) {
        start.compareAndSet(0, now);
        return start.get();
    }

    /** When the first request was sent (epoch ms), 0 before that. */
    long started() {
        return start.get();
    }

    /** When a phase starts, in ms after the first request. */
    long offsetOf(String name) {
        long offset = 0;
        for (Phase phase : phases) {
            if (phase.name().equals(name)) {
                return offset;
            }
            offset += phase.length().toMillis();
        }
        throw new IllegalArgumentException("no phase " + name);
    }

    Duration length(String name) {
        return phases.stream().filter(phase -> phase.name().equals(name)).findFirst()
                .map(Phase::length)
                .orElseThrow(() -> new IllegalArgumentException("no phase " + name));
    }

    Duration total() {
        return phases.stream().map(Phase::length).reduce(Duration.ZERO, Duration::plus);
    }

    /** "warm-up 30 s, measured 3 min" */
    String describe() {
        List<String> parts = new ArrayList<>();
        phases.forEach(phase -> parts.add(phase.name() + " " + Settings.show(phase.length())));
        return String.join(", ", parts);
    }
}
