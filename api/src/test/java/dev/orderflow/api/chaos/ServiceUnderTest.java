package dev.orderflow.api.chaos;

import dev.orderflow.api.scaleout.OrderflowProcess;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Orderflow instance under test, a JVM of its own, killed with SIGKILL and started again as a
 * crashed pod is. Each start is a new process on a new port; clients follow {@link #baseUri()}.
 */
final class ServiceUnderTest implements AutoCloseable {

    private final Map<String, String> environment;
    private final List<String> arguments;
    private final AtomicInteger starts = new AtomicInteger();
    private final List<OrderflowProcess> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile OrderflowProcess current;

    ServiceUnderTest(Map<String, String> environment, List<String> arguments) {
        this.environment = environment;
        this.arguments = arguments;
    }

    void start() {
        current = OrderflowProcess.start("chaos-" + starts.incrementAndGet(), environment, arguments);
        all.add(current);
        current.awaitReady();
    }

    void kill() {
        current.kill();
    }

    URI baseUri() {
        return current.uri("/");
    }

    /** Every log line, of every start so far, that contains {@code text}. */
    List<String> logLines(String text) {
        return all.stream().flatMap(process -> process.logText().lines()).filter(line -> line.contains(text)).toList();
    }

    int starts() {
        return starts.get();
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
        }
    }
}
