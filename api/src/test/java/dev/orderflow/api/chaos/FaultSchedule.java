package dev.orderflow.api.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a round of faults over and over until the time is used up (at least one whole round): each
 * fault is injected, held, healed, then the load runs undisturbed for a gap so the service can
 * show that it recovered.
 */
final class FaultSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(FaultSchedule.class);

    private final List<Fault> round;
    private final Duration gap;

    FaultSchedule(List<Fault> round, Duration gap) {
        this.round = round;
        this.gap = gap;
    }

    List<Fault.Injected> run(Duration duration) {
        Instant end = Instant.now().plus(duration);
        List<Fault.Injected> injected = new ArrayList<>();
        sleep(gap);
        do {
            for (Fault fault : round) {
                LOG.info("chaos: injecting {}", fault.name());
                long at = System.currentTimeMillis();
                fault.inject().run();
                sleep(fault.hold());
                long healing = System.currentTimeMillis();
                fault.heal().run();
                long healed = System.currentTimeMillis();
                LOG.info("chaos: healed {} after {} ms", fault.name(), healed - at);
                injected.add(new Fault.Injected(fault.name(), at, healing, healed));
                sleep(gap);
            }
        } while (Instant.now().isBefore(end));
        return injected;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
