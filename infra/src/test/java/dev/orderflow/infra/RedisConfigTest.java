package dev.orderflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Redis configuration files, loaded by a real redis-server (which refuses to start on a
 * directive it does not know), on a free local port, then read back with CONFIG GET.
 */
class RedisConfigTest {

    @ParameterizedTest
    @CsvSource({"redis/redis.conf, cluster_enabled:0", "redis/redis-cluster.conf, cluster_enabled:1"})
    void redisStartsWithTheConfigurationAndNeverEvicts(String file, String clusterLine) throws Exception {
        Tool server = Tool.require("redis-server", "apt-get install redis-server (Debian)");
        Tool cli = Tool.require("redis-cli", "apt-get install redis-tools (Debian)");
        int port = freePort();
        Path dir = Files.createTempDirectory("orderflow-redis-config");
        // the file as written, with this machine's port, address and a scratch folder for nodes.conf
        Process redis = new ProcessBuilder(server.executable().toString(), Tool.infra().resolve(file).toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(), "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            await("redis-server answering").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !redis.isAlive() || cli.run(dir, "-p", Integer.toString(port), "ping").output().contains("PONG"));
            assertThat(redis.isAlive()).as("redis-server running; its log:\n" + Files.readString(dir.resolve("redis.log"))).isTrue();
            assertThat(cli.succeed(dir, "-p", Integer.toString(port), "config", "get", "maxmemory-policy")).contains("noeviction");
            assertThat(cli.succeed(dir, "-p", Integer.toString(port), "info", "cluster")).contains(clusterLine);
        } finally {
            redis.destroy();
            redis.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
