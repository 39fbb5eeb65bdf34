package dev.orderflow.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The contract's {@code ORDERFLOW_DATABASE_URL}, parsed into what R2DBC and Flyway want. */
class DatabaseUrlTest {

    @Test
    void readsEveryPartOfAFullUrl() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://orderflow:s3cret@db.internal:6543/orders");

        assertThat(url).isEqualTo(new DatabaseUrl("db.internal", 6543, "orders", "orderflow", "s3cret"));
    }

    @Test
    void decodesAPercentEncodedUserAndPassword() {
        // a generated password may hold any of the URL's delimiters
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app%40eu:p%40ss%3Aw%2Frd%25%20x@db:5432/orders");

        assertThat(url.user()).isEqualTo("app@eu");
        assertThat(url.password()).isEqualTo("p@ss:w/rd% x");
    }

    @Test
    void keepsAPlusInThePasswordAsAPlus() {
        // in a URL's user info '+' is a literal plus; only form encoding turns it into a space
        assertThat(DatabaseUrl.parse("postgresql://app:a+b@db/orders").password()).isEqualTo("a+b");
    }

    @Test
    void splitsUserAndPasswordAtTheFirstColonOnly() {
        assertThat(DatabaseUrl.parse("postgresql://app:with:colons@db/orders").password()).isEqualTo("with:colons");
    }

    @Test
    void defaultsThePortTo5432() {
        assertThat(DatabaseUrl.parse("postgresql://app:pw@db/orders").port()).isEqualTo(5432);
    }

    @Test
    void defaultsTheUserToPostgresWithNoPassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://localhost/orders");

        assertThat(url.user()).isEqualTo("postgres");
        assertThat(url.password()).isEmpty();
    }

    @Test
    void aUserWithoutPasswordHasAnEmptyPassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://reader@db/orders");

        assertThat(url.user()).isEqualTo("reader");
        assertThat(url.password()).isEmpty();
    }

    @Test
    void acceptsThePostgresSchemeToo() {
        assertThat(DatabaseUrl.parse("postgres://app:pw@db:5433/orders"))
                .isEqualTo(new DatabaseUrl("db", 5433, "orders", "app", "pw"));
    }

    @Test
    void ignoresSurroundingWhitespace() {
        assertThat(DatabaseUrl.parse("  postgresql://app:pw@db/orders\n").database()).isEqualTo("orders");
    }

    @Test
    void rejectsOtherSchemes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse("mysql://app:pw@db/orders"))
                .withMessageContaining("postgresql://");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://db/orders"));
    }

    @Test
    void rejectsAUrlWithoutADatabase() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse("postgresql://app:pw@db:5432"))
                .withMessageContaining("database");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse("postgresql://app:pw@db:5432/"))
                .withMessageContaining("database");
    }

    @Test
    void rejectsAUrlWithoutAHost() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse("postgresql:///orders"))
                .withMessageContaining("host");
    }

    @Test
    void rejectsSomethingThatIsNotAUrlWithoutEchoingThePassword() {
        // the message ends up in the start-up failure; neither it nor a cause may carry the password
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse("postgresql://app:hunter2@db/or ders"))
                .withMessageContaining("ORDERFLOW_DATABASE_URL")
                .satisfies(error -> {
                    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
                        assertThat(cause.getMessage()).doesNotContain("hunter2");
                    }
                });
    }

    @Test
    void buildsTheR2dbcAndJdbcUrlsWithoutCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:s3cret@db.internal:6543/orders");

        assertThat(url.r2dbcUrl()).isEqualTo("r2dbc:postgresql://db.internal:6543/orders");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/orders");
    }

    @Test
    void theRedactedFormKeepsTheUserAndDropsThePassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:s3cret@db.internal/orders");

        assertThat(url.redacted())
                .isEqualTo("postgresql://app@db.internal:5432/orders")
                .doesNotContain("s3cret");
    }
}
