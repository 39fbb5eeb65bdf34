package dev.orderflow.api.scaleout;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        try (Connection connection = postgres.getDatabase("postgres", DATABASE).getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                        row.put(result.getMetaData().getColumnLabel(column), result.getObject(column));
                    }
                    rows.add(row);
                }
                return rows;
            }
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
