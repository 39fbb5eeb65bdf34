package dev.orderflow.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a run says about itself: lines on the console marked {@code [orderflow]}, and the same
 * figures as {@code key=value} lines in {@code -DsummaryFile} for {@code bench.sh} to read.
 */
final class Report {

    private final Map<String, String> values = new LinkedHashMap<>();

    static void line(String format, Object... args) {
        System.out.println("[orderflow] " + String.format(Locale.ROOT, format, args));
    }

    String value(String key) {
        return values.get(key);
    }

    void put(String key, Object value) {
        values.put(key, String.valueOf(value).replace('\n', ' '));
    }

    /**
     * The standard figures of one phase of one request: counts, accepted/s, accepted latency, errors.
     * Errors are the answers neither accepted nor shed; with {@code shedIsError}, also the shed ones
     * (where the load is meant to be sustainable, a 503 is a failure).
     */
    void putPhase(String prefix, Outcomes outcomes, String phase, boolean shedIsError) {
        Tally tally = outcomes.phase(phase);
        long answers = tally.answers();
        long errors = tally.unexpected() + (shedIsError ? tally.shed() : 0);
        put(prefix + "sent", answers);
        put(prefix + "sent_per_s", String.format(Locale.ROOT, "%.1f", tally.sentPerSecond()));
        put(prefix + "accepted", tally.accepted());
        put(prefix + "accepted_per_s", String.format(Locale.ROOT, "%.1f", outcomes.acceptedPerSecond(phase)));
        put(prefix + "p50_ms", tally.percentile(50));
        put(prefix + "p95_ms", tally.percentile(95));
        put(prefix + "p99_ms", tally.percentile(99));
        put(prefix + "p999_ms", tally.percentile(99.9));
        put(prefix + "max_ms", tally.maxLatency());
        put(prefix + "shed", tally.shed());
        put(prefix + "errors", errors);
        put(prefix + "error_rate", String.format(Locale.ROOT, "%.5f", answers == 0 ? 0.0 : (double) errors / answers));
        put(prefix + "statuses", tally.statuses());
        putWindow(prefix, outcomes.phases(), phase);
    }

    /**
     * When the phase ran, in epoch ms ({@code from_ms}, {@code to_ms}): {@code bench.sh} measures the
     * machine's CPU over that window only, without the warm-up and the load generator's start.
     */
    void putWindow(String prefix, Phases phases, String phase) {
        if (phases.started() == 0) {
            return;
        }
        long from = phases.started() + phases.offsetOf(phase);
        put(prefix + "from_ms", from);
        put(prefix + "to_ms", from + phases.length(phase).toMillis());
    }

    /** The 2xx answers to every request of the run, warm-up included: each must be an order stored in PostgreSQL ({@code bench.sh} counts). */
    void putAcceptedAll(Outcomes outcomes, long more) {
        long accepted = more;
        for (Phases.Phase phase : outcomes.phases().all()) {
            accepted += outcomes.phase(phase.name()).accepted();
        }
        put("accepted_all", accepted);
    }

    /** Prints one phase of one request as a line. */
    static void printPhase(Outcomes outcomes, String phase) {
        Tally tally = outcomes.phase(phase);
        line("%-34s sent %,d  accepted %,d (%.1f/s)  p50 %d  p95 %d  p99 %d  p99.9 %d  max %d ms  shed %,d  errors %,d  [%s]",
                outcomes.nameIn(phase), tally.answers(), tally.accepted(), outcomes.acceptedPerSecond(phase),
                tally.percentile(50), tally.percentile(95), tally.percentile(99), tally.percentile(99.9), tally.maxLatency(),
                tally.shed(), tally.unexpected(), tally.statuses());
    }

    /** Writes the figures to {@code -DsummaryFile}, if given. */
    void write() {
        String file = Settings.text("summaryFile", "");
        if (file.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        values.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        try {
            Path path = Path.of(file);
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
