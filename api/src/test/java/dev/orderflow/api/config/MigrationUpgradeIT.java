package dev.orderflow.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A database made by an earlier release takes this release's schema, with the service's own
 * Flyway settings, in a database of its own. V7 (the intake function) was released after V20:
 * a database at V20 without it must still take it.
 */
class MigrationUpgradeIT extends IntegrationTest {

    @Autowired
    Flyway serviceFlyway;

    @Test
    void aDatabaseAtV20WithoutTheIntakeFunctionTakesItOnUpgrade() throws SQLException {
        String database = "orderflow_upgrade_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        execute(jdbc(null), "CREATE DATABASE " + database);
        DataSource upgraded = jdbc(database);
        try {
            migrate(upgraded);
            // the release before V7: V20 applied, no intake function
            execute(upgraded, "DELETE FROM flyway_schema_history WHERE version = '7'",
                    "DROP FUNCTION intake_store", "DROP FUNCTION intake_generation");

            migrate(upgraded);

            assertThat(count(upgraded, "SELECT count(*) FROM pg_proc WHERE proname IN ('intake_store', 'intake_generation')")).isEqualTo(2);
            assertThat(count(upgraded, "SELECT count(*) FROM flyway_schema_history WHERE version = '7' AND success")).isEqualTo(1);
        } finally {
            execute(jdbc(null), "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private void migrate(DataSource database) {
        Flyway.configure(getClass().getClassLoader())
                .configuration(serviceFlyway.getConfiguration())
                .dataSource(database)
                .load()
                .migrate();
    }

    private static void execute(DataSource database, String... statements) throws SQLException {
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static long count(DataSource database, String sql) throws SQLException {
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
