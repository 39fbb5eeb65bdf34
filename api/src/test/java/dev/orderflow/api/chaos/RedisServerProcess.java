package dev.orderflow.api.chaos;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import redis.embedded.RedisServer;

/**
 * A Redis server the test owns outright: flushed, paused with SIGSTOP (a frozen host: connections
 * stay open, nothing answers) and resumed with SIGCONT, or killed with SIGKILL and started again on
 * the same port, empty, as a Redis that keeps nothing on disk comes back. The binary is the one the
 * embedded-redis jar bundles, run here directly so that the test holds the process.
 */
final class RedisServerProcess implements AutoCloseable {

    private final List<String> command;
    private final int port;
    private final Path log;
    private Process process;

    private RedisServerProcess(List<String> command, int port, Path log) {
        this.command = command;
        this.port = port;
        this.log = log;
    }

    static RedisServerProcess start(int port, Path log) {
        try {
            List<String> command = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").buildCommandArgs();
            RedisServerProcess server = new RedisServerProcess(command, port, log);
            server.restart();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** {@code ORDERFLOW_REDIS_URL} for a server reached on {@code viaPort} (the proxy). */
    static String url(int viaPort) {
        return "redis://127.0.0.1:" + viaPort;
    }

    void flushAll() {
        withRedis(RedisCommands::flushall);
    }

    void pause() {
        signal("STOP");
    }

    void resume() {
        signal("CONT");
    }

    void kill() {
        process.destroyForcibly();
        process.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    void restart() {
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("Redis up again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> "PONG".equals(withRedis(RedisCommands::ping)));
    }

    /** Every field of a hash. */
    Map<String, String> hash(String key) {
        return withRedis(redis -> redis.hgetall(key));
    }

    <T> T withRedis(Function<RedisCommands<String, String>, T> work) {
        RedisURI uri = RedisURI.create("127.0.0.1", port);
        uri.setTimeout(Duration.ofSeconds(5));
        try (RedisClient client = RedisClient.create(uri); StatefulRedisConnection<String, String> connection = client.connect()) {
            return work.apply(connection.sync());
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        resumeQuietly();
        process.destroyForcibly();
    }

    private void resumeQuietly() {
        try {
            signal("CONT");
        } catch (RuntimeException e) {
            // not running
        }
    }
}
