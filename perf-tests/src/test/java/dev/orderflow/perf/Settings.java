package dev.orderflow.perf;

import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulation's parameters, read from system properties ({@code -Drate=800 -Dduration=3m}), with
 * the defaults each simulation documents. Durations are written {@code 500ms}, {@code 90s},
 * {@code 3m}, {@code 1h} or a bare number of seconds.
 */
final class Settings {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Settings() {
    }

    /** Where Orderflow listens. */
    static String baseUrl() {
        return text("baseUrl", "http://localhost:8080");
    }

    /** The admin bearer token (ORDERFLOW_ADMIN_KEY of the service). */
    static String adminKey() {
        return text("adminKey", "");
    }

    /** A short id for this run: it names the channel principals, idempotency keys and external references. */
    static String runId() {
        return text("runId", UUID.randomUUID().toString().substring(0, 8));
    }

    /** The service's process id, when it runs on this machine: lets the soak read its resident set size. */
    static long servicePid() {
        return Long.parseLong(text("servicePid", "0"));
    }

    static String text(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    static double number(String name, double fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : Double.parseDouble(value.trim());
    }

    static int integer(String name, int fallback) {
        return (int) number(name, fallback);
    }

    static boolean flag(String name, boolean fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : Boolean.parseBoolean(value.trim());
    }

    static Duration duration(String name, String fallback) {
        return parseDuration(text(name, fallback));
    }

    static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a duration: " + text + " (write 500ms, 90s, 3m, 1h or seconds)");
        }
        double amount = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            default -> amount * 3_600_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /** 90 s, 3 min, 1 h 5 min: for printing. */
    static String show(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7_200) {
            return seconds % 60 == 0 ? seconds / 60 + " min" : seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
