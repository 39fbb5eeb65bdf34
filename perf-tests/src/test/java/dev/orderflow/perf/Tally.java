package dev.orderflow.perf;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Answers counted by status, with the latency of the accepted (2xx) ones in a histogram of their
 * own: a shed request answered 503 in 1 ms must not make the accepted ones look fast. Status 0 is
 * "no answer" (timeout, connection refused or reset).
 */
final class Tally {

    static final int NO_ANSWER = 0;
    private static final long MAX_LATENCY_MS = 600_000;

    private final Map<Integer, Long> byStatus = new TreeMap<>();
    private final Histogram accepted;
    private long shedWithoutRetryAfter;
    private long firstSentAt = Long.MAX_VALUE;
    private long lastAnsweredAt;
    private long lastSentAt;

    /** @param digits significant digits of the latency histogram (2 for per-second buckets, 3 for whole phases) */
    Tally(int digits) {
        accepted = new Histogram(MAX_LATENCY_MS, digits);
    }

    /** The sum of several tallies (consecutive seconds into a longer interval). */
    static Tally sum(Iterable<Tally> tallies, int digits) {
        Tally sum = new Tally(digits);
        for (Tally tally : tallies) {
            synchronized (tally) {
                tally.byStatus.forEach((status, count) -> sum.byStatus.merge(status, count, Long::sum));
                sum.accepted.add(tally.accepted);
                sum.shedWithoutRetryAfter += tally.shedWithoutRetryAfter;
                sum.firstSentAt = Math.min(sum.firstSentAt, tally.firstSentAt);
                sum.lastAnsweredAt = Math.max(sum.lastAnsweredAt, tally.lastAnsweredAt);
                sum.lastSentAt = Math.max(sum.lastSentAt, tally.lastSentAt);
            }
        }
        return sum;
    }

    synchronized void add(int status, long latencyMs, boolean retryAfter, long sentAt) {
        byStatus.merge(status, 1L, Long::sum);
        if (isAccepted(status)) {
            accepted.recordValue(Math.min(Math.max(latencyMs, 0), MAX_LATENCY_MS));
        }
        if (isShed(status) && !retryAfter) {
            shedWithoutRetryAfter++;
        }
        firstSentAt = Math.min(firstSentAt, sentAt);
        lastSentAt = Math.max(lastSentAt, sentAt);
        lastAnsweredAt = Math.max(lastAnsweredAt, sentAt + latencyMs);
    }

    static boolean isAccepted(int status) {
        return status >= 200 && status < 300;
    }

    /** The answers a service that sheds load gives: 429 (a principal over its rate) and 503 (the service over its capacity). */
    static boolean isShed(int status) {
        return status == 429 || status == 503;
    }

    synchronized long answers() {
        return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized long accepted() {
        return accepted.getTotalCount();
    }

    synchronized long count(int status) {
        return byStatus.getOrDefault(status, 0L);
    }

    synchronized long shed() {
        return count(429) + count(503);
    }

    /** Neither accepted nor shed: other 4xx, 5xx other than 503, and no answer at all. */
    synchronized long unexpected() {
        return answers() - accepted() - shed();
    }

    /** 5xx other than 503: what an overloaded service must never answer. */
    synchronized long serverErrorsOtherThan503() {
        return byStatus.entrySet().stream()
                .filter(entry -> entry.getKey() >= 500 && entry.getKey() != 503)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    synchronized long shedWithoutRetryAfter() {
        return shedWithoutRetryAfter;
    }

    /** Latency of the accepted answers at a percentile (0-100), in ms; -1 if none was accepted. */
    synchronized long percentile(double percentile) {
        return accepted.getTotalCount() == 0 ? -1 : accepted.getValueAtPercentile(percentile);
    }

    synchronized long maxLatency() {
        return accepted.getTotalCount() == 0 ? -1 : accepted.getMaxValue();
    }

    synchronized double meanLatency() {
        return accepted.getTotalCount() == 0 ? -1 : accepted.getMean();
    }

    /**
     * Requests actually sent per second, from the first to the last: below the planned rate when
     * the load generator could not keep up (on a shared machine it competes for the same cores).
     */
    synchronized double sentPerSecond() {
        long span = lastSentAt - firstSentAt;
        return span <= 0 ? 0 : (answers() - 1) * 1000.0 / span;
    }

    /** Milliseconds from the first request sent to the last answer received. */
    synchronized long spanMillis() {
        return firstSentAt == Long.MAX_VALUE ? 0 : lastAnsweredAt - firstSentAt;
    }

    synchronized Map<Integer, Long> byStatus() {
        return new TreeMap<>(byStatus);
    }

    /** "201 x 12000, 503 x 40" */
    synchronized String statuses() {
        StringBuilder text = new StringBuilder();
        byStatus.forEach((status, count) -> text.append(text.isEmpty() ? "" : ", ")
                .append(status == NO_ANSWER ? "no answer" : status.toString()).append(" x ").append(count));
        return text.isEmpty() ? "none" : text.toString();
    }
}
