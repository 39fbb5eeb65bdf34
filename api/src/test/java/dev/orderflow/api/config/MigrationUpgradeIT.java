package dev.orderflow.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * A database made by an earlier release takes this release's schema, with the service's own
 * Flyway settings, in a database of its own. V7 (the intake function) was released after V20:
 * a database at V20 without it must still take it.
 */
class MigrationUpgradeIT extends IntegrationTest {

    @Autowired
    Flyway serviceFlyway;

    @Value("${spring.flyway.url}")
    String jdbcUrl;

    @Value("${spring.flyway.user}")
    String jdbcUser;

    @Value("${spring.flyway.password:}")
    String jdbcPassword;

    @Test
    void aDatabaseAtV20WithoutTheIntakeFunctionTakesItOnUpgrade() throws SQLException {
        String database = "orderflow_upgrade_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        execute(jdbcUrl, "CREATE DATABASE " + database);
        String url = jdbcUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        try {
            migrate(url);
            // the release before V7: V20 applied, no intake function
            execute(url, "DELETE FROM flyway_schema_history WHERE version = '7'",
                    "DROP FUNCTION intake_store", "DROP FUNCTION intake_generation");

            migrate(url);

            assertThat(count(url, "SELECT count(*) FROM pg_proc WHERE proname IN ('intake_store', 'intake_generation')")).isEqualTo(2);
            assertThat(count(url, "SELECT count(*) FROM flyway_schema_history WHERE version = '7' AND success")).isEqualTo(1);
        } finally {
            execute(jdbcUrl, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private void migrate(String url) {
        Flyway.configure(getClass().getClassLoader())
                .configuration(serviceFlyway.getConfiguration())
                .dataSource(url, jdbcUser, jdbcPassword)
                .load()
                .migrate();
    }

    private void execute(String url, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, jdbcUser, jdbcPassword);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private long count(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, jdbcUser, jdbcPassword);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
