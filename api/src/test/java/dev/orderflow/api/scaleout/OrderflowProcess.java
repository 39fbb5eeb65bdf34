package dev.orderflow.api.scaleout;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Orderflow instance as production runs it: the packaged jar in a JVM of its own, configured by
 * environment variables, stopped with SIGTERM like Kubernetes stops a pod. Its output goes to a log
 * file under {@code target/scale-out}, kept for diagnosis.
 */
public final class OrderflowProcess implements AutoCloseable {

    public static final String ADMIN_KEY = "scale-out-admin-key-0123456789";
    private static final Pattern WORKER = Pattern.compile("Step engine worker (\\S+?)[\"\\s]");

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private OrderflowProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts an instance; {@link #awaitReady()} waits for it.
     *
     * @param environment the instance's ORDERFLOW_* variables (database, Redis, downstreams)
     * @param arguments   further Spring settings, {@code --name=value}
     */
    public static OrderflowProcess start(String name, Map<String, String> environment, List<String> arguments) {
        int port = freePort();
        Path log = Path.of("target", "scale-out", name + ".log").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(javaBinary(),
                // small and quick to start: three of these share two cores with the build
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-jar", jar().toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("ORDERFLOW_") || key.startsWith("SPRING_") || key.startsWith("LOGGING_"));
        env.putAll(environment);
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("ORDERFLOW_ADMIN_KEY", ADMIN_KEY);
        // production's log format: one JSON object per line
        env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        try {
            Files.createDirectories(log.getParent());
            return new OrderflowProcess(name, port, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Waits until the instance answers ready ({@code /actuator/health/readiness}). */
    public OrderflowProcess awaitReady() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
        await("instance " + name + " ready (log: " + log + ")").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
                    }
                    try {
                        HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).build(),
                                HttpResponse.BodyHandlers.discarding());
                        return answer.statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return this;
    }

    public String name() {
        return name;
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The step engine's worker name in this process (what {@code step.lease_owner} holds). */
    String worker() {
        Matcher matcher = WORKER.matcher(logText());
        if (!matcher.find()) {
            throw new IllegalStateException(name + " has not logged its worker name; see " + log);
        }
        return matcher.group(1);
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as Kubernetes sends it; does not wait. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL, as a crashed node or the OOM killer ends it: no drain, no shutdown hooks; waits for the exit. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** Waits for the process to exit; answers its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not exit within " + timeout + "; see " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(40, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The environment of an instance against these servers, with no simulators. */
    public static Map<String, String> environment(String databaseUrl, String redisUrl, String downstreamBaseUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ORDERFLOW_DATABASE_URL", databaseUrl);
        env.put("ORDERFLOW_REDIS_URL", redisUrl);
        env.put("ORDERFLOW_SIMULATORS", "false");
        env.put("ORDERFLOW_CREDIT_URL", downstreamBaseUrl + "/credit");
        env.put("ORDERFLOW_FULFILLMENT_URL", downstreamBaseUrl + "/fulfillment");
        env.put("ORDERFLOW_INVOICING_URL", downstreamBaseUrl + "/invoicing");
        return env;
    }

    private static Path jar() {
        Path jar = Path.of(Optional.ofNullable(System.getProperty("orderflow.jar")).orElse("target/orderflow.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run the packaged jar (./mvnw verify packages it first)");
        }
        return jar;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
