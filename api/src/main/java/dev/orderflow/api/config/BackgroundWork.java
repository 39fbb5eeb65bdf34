package dev.orderflow.api.config;

import org.springframework.context.SmartLifecycle;

/**
 * Starts one of this instance's background loops with the application and stops it at shutdown
 * (before the connection pools close).
 */
final class BackgroundWork implements SmartLifecycle {

    private final Runnable start;
    private final Runnable stop;
    private final boolean enabled;
    private volatile boolean running;

    private BackgroundWork(Runnable start, Runnable stop, boolean enabled) {
        this.start = start;
        this.stop = stop;
        this.enabled = enabled;
    }

    /** Always runs: reads only, or work every instance must do for itself. */
    static BackgroundWork always(Runnable start, Runnable stop) {
        return new BackgroundWork(start, stop, true);
    }

    /**
     * A worker that claims shared work (steps, webhook deliveries) from the database. Runs unless
     * {@code orderflow.workers.enabled=false}: an instance that only serves requests, or a test
     * context beside the one whose workers the tests watch.
     */
    static BackgroundWork worker(Runnable start, Runnable stop, OrderflowProperties properties) {
        return new BackgroundWork(start, stop, properties.workers().enabled());
    }

    @Override
    public void start() {
        if (enabled) {
            start.run();
        }
        running = true;
    }

    @Override
    public void stop() {
        stop.run();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
