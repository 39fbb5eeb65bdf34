package dev.orderflow.api.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real PostgreSQL (zonky's binaries) and a real Redis (embedded-redis' binaries), one of each per
 * JVM, on free ports (the machine's own servers may hold 5432 and 6379). PostgreSQL keeps its data
 * in {@code dataDir/postgres} across restarts; Redis keeps nothing, because Orderflow rebuilds it
 * from PostgreSQL.
 */
public final class EmbeddedInfrastructure {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedInfrastructure.class);
    private static final String DATABASE = "orderflow";
    private static EmbeddedInfrastructure running;

    private final Path dataDir;
    private final boolean ephemeral;
    private EmbeddedPostgres postgres;
    private RedisServer redis;
    /** Chosen on the start-up thread, read by whoever asks for the Redis URL. */
    private volatile int redisPort;

    private EmbeddedInfrastructure(Path dataDir, boolean ephemeral) {
        this.dataDir = dataDir;
        this.ephemeral = ephemeral;
    }

    /** Starts what is asked for, once per JVM: later calls (more test contexts) reuse the servers. */
    public static synchronized EmbeddedInfrastructure startOnce(Path dataDir, boolean ephemeral, boolean withPostgres,
            boolean withRedis) {
        if (running == null) {
            Path dir = ephemeral ? temporaryFolder() : dataDir.toAbsolutePath();
            running = new EmbeddedInfrastructure(dir, ephemeral);
        }
        if (withPostgres && running.postgres == null) {
            running.startPostgres();
        }
        if (withRedis && running.redis == null) {
            running.startRedis();
        }
        return running;
    }

    public static synchronized void stopAll() {
        if (running != null) {
            running.stop();
            running = null;
        }
    }

    public String postgresUrl() {
        return "postgresql://postgres@localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    /** Where the data lives (a temporary folder when ephemeral). */
    public Path dataDir() {
        return dataDir;
    }

    public String redisUrl() {
        return "redis://localhost:" + redisPort;
    }

    private void startPostgres() {
        Path folder = dataDir.resolve("postgres");
        try {
            Files.createDirectories(folder);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(folder)
                    .setCleanDataDirectory(false)
                    .setPort(freePort())
                    .setServerConfig("max_connections", "200")
                    .start();
            createDatabaseIfMissing();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + folder, e);
        }
        LOG.info("Embedded PostgreSQL on port {}, data in {}", postgres.getPort(), folder);
    }

    private void createDatabaseIfMissing() throws IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet existing = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (existing.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IOException("could not create the database " + DATABASE, e);
        }
    }

    private void startRedis() {
        try {
            redisPort = freePort();
            redis = RedisServer.newRedisServer()
                    .port(redisPort)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("maxmemory-policy noeviction")
                    .build();
            redis.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded Redis", e);
        }
        LOG.info("Embedded Redis on port {}", redisPort);
    }

    private void stop() {
        try {
            if (redis != null) {
                redis.stop();
            }
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            LOG.warn("Embedded servers did not stop cleanly", e);
        }
        if (ephemeral) {
            deleteRecursively(dataDir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("orderflow-embedded-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path path) {
        if (!path.toFile().delete()) {
            LOG.debug("Could not delete {}", path);
        }
    }

    private static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(EmbeddedInfrastructure::delete);
        } catch (IOException e) {
            LOG.debug("Could not delete {}", folder, e);
        }
    }
}
