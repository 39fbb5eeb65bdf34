package dev.orderflow.api.config;

import java.time.Duration;
import java.util.function.Function;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;

/**
 * Starts one of this instance's background loops with the application and stops it at shutdown
 * (before the connection pools close).
 *
 * <p>Workers that claim shared work stop gracefully, in the phase of the web server's graceful
 * shutdown and alongside it: they stop claiming, let what they hold finish within
 * {@code orderflow.workers.drain-timeout}, and give back the rest so that another instance takes it
 * at once. Everything else stops at once, earlier.
 */
final class BackgroundWork implements SmartLifecycle {

    /** Spring Boot's WebServerGracefulShutdownLifecycle phase: beans of one phase stop together. */
    static final int GRACEFUL_SHUTDOWN_PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private final Runnable start;
    private final Function<Duration, Mono<Void>> stop;
    private final Duration drainTimeout;
    private final boolean enabled;
    private final int phase;
    private volatile boolean running;

    private BackgroundWork(Runnable start, Function<Duration, Mono<Void>> stop, Duration drainTimeout, boolean enabled,
            int phase) {
        this.start = start;
        this.stop = stop;
        this.drainTimeout = drainTimeout;
        this.enabled = enabled;
        this.phase = phase;
    }

    /** Always runs: reads only, or work every instance must do for itself. */
    static BackgroundWork always(Runnable start, Runnable stop) {
        return new BackgroundWork(start, timeout -> Mono.fromRunnable(stop), Duration.ZERO, true, SmartLifecycle.DEFAULT_PHASE);
    }

    /**
     * A worker that claims shared work (steps, webhook deliveries) from the database. Runs unless
     * {@code orderflow.workers.enabled=false}: an instance that only serves requests, or a test
     * context beside the one whose workers the tests watch.
     */
    static BackgroundWork worker(Runnable start, Runnable stop, OrderflowProperties properties) {
        return new BackgroundWork(start, timeout -> Mono.fromRunnable(stop), Duration.ZERO, properties.workers().enabled(),
                SmartLifecycle.DEFAULT_PHASE);
    }

    /**
     * A worker that drains at shutdown: {@code drain} stops claiming, waits up to the timeout it is
     * given for the work in hand, and gives back the rest.
     */
    static BackgroundWork drainingWorker(Runnable start, Function<Duration, Mono<Void>> drain, OrderflowProperties properties) {
        return new BackgroundWork(start, drain, properties.workers().drainTimeout(), properties.workers().enabled(),
                GRACEFUL_SHUTDOWN_PHASE);
    }

    @Override
    public void start() {
        if (enabled) {
            start.run();
        }
        running = true;
    }

    /** Starts stopping; {@link #stop(Runnable)} is the one that says when it is done. */
    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        stop.apply(drainTimeout)
                .doFinally(signal -> callback.run())
                .subscribe();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return phase;
    }
}
