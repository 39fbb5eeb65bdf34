package dev.orderflow.orchestration.step;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * New steps, announced by whoever committed them (intake, an operator, a finished step) to this
 * instance's engine, which claims them at once: polling is the safety net, not the path. Losing
 * an announcement (buffer full, instance stopping) only means the step waits for the next poll.
 */
public class StepQueue {

    private final Sinks.Many<List<UUID>> announcements = Sinks.many().multicast().onBackpressureBuffer(4096, false);

    /** Call after the transaction that created the steps has committed. */
    public void announce(Collection<UUID> stepIds) {
        if (!stepIds.isEmpty()) {
            // FAIL_FAST: a full buffer or a missing subscriber is not worth waiting for; the poll finds the steps
            announcements.tryEmitNext(List.copyOf(stepIds));
        }
    }

    Flux<List<UUID>> announcements() {
        return announcements.asFlux();
    }
}
