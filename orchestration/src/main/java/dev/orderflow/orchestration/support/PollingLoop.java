package dev.orderflow.orchestration.support;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a pass of work at an interval, and again at once while a pass found something to do, so a
 * backlog drains at full speed and an idle loop costs one query per interval. A failed pass (the
 * database away) is logged and the next interval tries again.
 */
public class PollingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(PollingLoop.class);

    private final String name;
    private final Duration interval;
    private final Supplier<Mono<Integer>> pass;
    private Disposable running;

    /** @param pass one pass; answers how much it did (0: nothing left for now) */
    public PollingLoop(String name, Duration interval, Supplier<Mono<Integer>> pass) {
        this.name = name;
        this.interval = interval;
        this.pass = pass;
    }

    public synchronized void start() {
        if (running == null) {
            running = Flux.interval(interval, interval)
                    .onBackpressureDrop()
                    .concatMap(tick -> drain(), 1)
                    .subscribe();
        }
    }

    public synchronized void stop() {
        if (running != null) {
            running.dispose();
            running = null;
        }
    }

    private Mono<Integer> drain() {
        return Mono.defer(pass)
                .repeat(() -> true)
                .takeUntil(done -> done == 0)
                .then(Mono.just(0))
                .onErrorResume(error -> {
                    LOG.warn("{}: a pass failed; trying again in {}", name, interval, error);
                    return Mono.just(0);
                });
    }
}
