package dev.orderflow.api.ratelimit;

import org.springframework.http.HttpHeaders;

/**
 * The rate limit as the IETF httpapi draft "RateLimit header fields for HTTP"
 * (draft-ietf-httpapi-ratelimit-headers-09 and later) writes it, as Structured Fields:
 * {@code RateLimit-Policy: "per-principal";q=1000;w=1} (the quota per window of seconds) and
 * {@code RateLimit: "per-principal";r=998;t=1} (what remains, and the seconds until it is full again).
 * Not the older {@code RateLimit-Limit}/{@code -Remaining}/{@code -Reset} trio of drafts 00 to 06.
 */
final class RateLimitHeaders {

    static final String POLICY = "RateLimit-Policy";
    static final String LIMIT = "RateLimit";
    static final String NAME = "\"per-principal\"";

    private RateLimitHeaders() {
    }

    static void write(HttpHeaders headers, int ratePerSecond, Decision decision) {
        headers.set(POLICY, NAME + ";q=" + ratePerSecond + ";w=1");
        headers.set(LIMIT, NAME + ";r=" + decision.remaining() + ";t=" + secondsUntilFull(ratePerSecond, decision));
    }

    /** Refused: until a request is worth trying again; allowed: until the bucket is full again (at most a second). */
    static long secondsUntilFull(int ratePerSecond, Decision decision) {
        if (!decision.allowed()) {
            return retryAfterSeconds(decision);
        }
        return decision.remaining() >= ratePerSecond ? 0 : 1;
    }

    /** Whole seconds, rounded up, at least one (a 0 would invite an immediate retry). */
    static long retryAfterSeconds(Decision decision) {
        long millis = decision.retryAfter().toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
