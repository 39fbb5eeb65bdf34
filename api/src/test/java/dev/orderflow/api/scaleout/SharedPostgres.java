package dev.orderflow.api.scaleout;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.orderflow.api.support.JdbcRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The one PostgreSQL that every instance of a scale-out test shares: a real server of its own
 * (zonky's binaries) on a free port, with a fresh database, and plain JDBC for the test's checks.
 */
final class SharedPostgres implements AutoCloseable {

    private static final String DATABASE = "orderflow";

    private final EmbeddedPostgres postgres;

    private SharedPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static SharedPostgres start() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPort(OrderflowProcess.freePort())
                    .setServerConfig("max_connections", "200")
                    .start();
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                connection.createStatement().execute("CREATE DATABASE " + DATABASE);
            }
            return new SharedPostgres(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The contract's {@code ORDERFLOW_DATABASE_URL}. */
    String url() {
        return "postgresql://postgres@localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    /** Every row of a query, as column -> value maps. */
    List<Map<String, Object>> rows(String sql, Object... parameters) {
        try {
            return JdbcRows.rows(postgres.getDatabase("postgres", DATABASE).getConnection(), sql, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    long count(String sql, Object... parameters) {
        return ((Number) rows(sql, parameters).get(0).values().iterator().next()).longValue();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
