package dev.orderflow.api.chaos;

import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.orderflow.api.support.JdbcRows;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A PostgreSQL server the test owns outright, so that it can be killed with SIGKILL (postmaster
 * and backends, as a crashed host would leave it) and started again on the same port and data
 * folder, where it runs crash recovery. Zonky's binaries make the cluster once; after that the
 * postmaster is run directly with the very arguments zonky gave it.
 */
final class PostgresServer implements AutoCloseable {

    static final String DATABASE = "orderflow";

    private final EmbeddedPostgres initial;
    private final Path dataDir;
    private final int port;
    private final List<String> command;
    private final Path log;
    private Process restarted;

    private PostgresServer(EmbeddedPostgres initial, Path dataDir, int port, List<String> command, Path log) {
        this.initial = initial;
        this.dataDir = dataDir;
        this.port = port;
        this.command = command;
        this.log = log;
    }

    static PostgresServer start(int port, Path log) {
        try {
            Path dataDir = Files.createTempDirectory("orderflow-chaos-pg-");
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200")
                    // zonky turns these off for speed; a crash test needs what production has:
                    // a commit answered is a commit on disk
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                connection.createStatement().execute("CREATE DATABASE " + DATABASE);
            }
            ProcessHandle postmaster = ProcessHandle.of(postmasterPid(dataDir)).orElseThrow();
            List<String> command = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                // PostgreSQL refuses to run as root; zonky runs it in a user namespace of its own, and so do restarts
                command.addAll(List.of("unshare", "-U"));
            }
            command.add(postmaster.info().command().orElseThrow());
            command.addAll(List.of(postmaster.info().arguments().orElseThrow()));
            return new PostgresServer(postgres, dataDir, port, command, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return port;
    }

    /** SIGKILL to the postmaster and every backend: no shutdown checkpoint, nothing flushed on the way out. */
    void kill() {
        ProcessHandle.of(postmasterPid(dataDir)).ifPresent(postmaster -> {
            List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
            all.add(postmaster);
            all.forEach(ProcessHandle::destroyForcibly);
            all.forEach(process -> process.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());
        });
    }

    /** Starts the postmaster again on the same data folder and port; it recovers from the WAL. */
    void restart() {
        try {
            restarted = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("PostgreSQL up again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    try (Connection connection = connect()) {
                        return connection.isValid(2);
                    }
                });
    }

    private static long postmasterPid(Path dataDir) {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The contract's {@code ORDERFLOW_DATABASE_URL} for a server reached on {@code viaPort} (the proxy). */
    static String url(int viaPort) {
        return "postgresql://postgres@127.0.0.1:" + viaPort + "/" + DATABASE;
    }

    Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "60");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, properties);
    }

    /** Every row of a query, as column -> value maps. */
    List<Map<String, Object>> rows(String sql, Object... parameters) {
        try {
            return JdbcRows.rows(connect(), sql, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    long count(String sql, Object... parameters) {
        Object value = rows(sql, parameters).get(0).values().iterator().next();
        return value == null ? 0 : ((Number) value).longValue();
    }

    @Override
    public void close() {
        try {
            initial.close();
        } catch (IOException | RuntimeException e) {
            // the postmaster zonky started may be long dead; the one restarted here is stopped below
        }
        if (restarted != null && restarted.isAlive()) {
            restarted.destroy();
            restarted.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            kill();
        }
        try (var files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}
