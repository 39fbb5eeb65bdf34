package dev.orderflow.api.chaos;

import static dev.orderflow.api.chaos.WorkloadClock.pause;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a round of faults over and over until the time is used up (at least one whole round): each
 * fault is injected, held, healed, then the load runs undisturbed for a gap so the service can
 * show that it recovered.
 */
final class FaultSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(FaultSchedule.class);
    private static final Duration WATCH = Duration.ofMinutes(3);
    private static final ExecutorService WATCHERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "chaos-recovery-watch");
        thread.setDaemon(true);
        return thread;
    });

    private final List<Fault> round;
    private final Duration gap;
    private final PostgresServer postgres;

    FaultSchedule(List<Fault> round, Duration gap, PostgresServer postgres) {
        this.round = round;
        this.gap = gap;
        this.postgres = postgres;
    }

    List<Fault.Injected> run(Duration duration) {
        Instant end = Instant.now().plus(duration);
        List<Fault.Injected> injected = new ArrayList<>();
        pause(gap);
        do {
            for (Fault fault : round) {
                LOG.info("chaos: injecting {}", fault.name());
                long at = System.currentTimeMillis();
                fault.inject().run();
                pause(fault.hold());
                long healing = System.currentTimeMillis();
                fault.heal().run();
                long healed = System.currentTimeMillis();
                LOG.info("chaos: healed {} after {} ms", fault.name(), healed - at);
                injected.add(new Fault.Injected(fault.name(), fault.recovery(), at, healing, healed, caughtUp(fault.recovery(), healing)));
                pause(gap);
            }
        } while (Instant.now().isBefore(end));
        return injected;
    }

    /** Watches, beside the run, for the backlog left by an engine or webhook fault to be worked off. */
    private CompletableFuture<Long> caughtUp(Fault.Recovery recovery, long healingAt) {
        if (recovery == Fault.Recovery.INTAKE) {
            return null;
        }
        String backlog = recovery == Fault.Recovery.ENGINE
                ? "SELECT count(*) FROM step WHERE state IN ('PENDING', 'RUNNING') AND created_at < ?"
                : "SELECT count(*) FROM webhook_delivery WHERE state = 'PENDING' AND created_at < ?";
        Timestamp before = new Timestamp(healingAt);
        return CompletableFuture.supplyAsync(() -> {
            try {
                Awaitility.await().atMost(WATCH).pollInterval(Duration.ofMillis(250))
                        // PostgreSQL itself may be the next fault: look again
                        .ignoreExceptions()
                        .until(() -> postgres.count(backlog, before) == 0);
                return System.currentTimeMillis();
            } catch (ConditionTimeoutException e) {
                return null;
            }
        }, WATCHERS);
    }
}
