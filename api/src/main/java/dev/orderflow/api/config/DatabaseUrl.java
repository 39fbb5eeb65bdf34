package dev.orderflow.api.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The contract's database URL, {@code postgresql://user:password@host:port/database}, turned into
 * what R2DBC (runtime) and JDBC (Flyway at start-up) each want.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password) {

    private static final int DEFAULT_PORT = 5432;

    public static DatabaseUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            // not e.getMessage() nor e as the cause: both quote the whole URL, password included
            throw new IllegalArgumentException("ORDERFLOW_DATABASE_URL is not a URL: " + e.getReason()
                    + " at index " + e.getIndex() + " (percent-encode special characters in the user and password)");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("ORDERFLOW_DATABASE_URL must start with postgresql://, was " + uri.getScheme());
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("ORDERFLOW_DATABASE_URL needs a host and a database: postgresql://user:password@host:port/database");
        }
        String user = "postgres";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : "";
        }
        int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT;
        return new DatabaseUrl(uri.getHost(), port, uri.getPath().substring(1), user, password);
    }

    public String r2dbcUrl() {
        return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL without its password, for logs. */
    public String redacted() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }

    /** Percent-decoding only: URLDecoder is a form decoder and would turn a '+' in a password into a space. */
    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
