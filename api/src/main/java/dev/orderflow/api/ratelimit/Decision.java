package dev.orderflow.api.ratelimit;

import java.time.Duration;

/**
 * The limiter's answer for one request.
 *
 * @param allowed    whether it may go on
 * @param remaining  about how many more requests the principal may make now (this instance's leased
 *                   tokens plus what the shared bucket held at the last lease)
 * @param retryAfter when refused, how long until it is worth trying again; when allowed, zero
 */
public record Decision(boolean allowed, int remaining, Duration retryAfter) {

    static Decision allow(int remaining) {
        return new Decision(true, remaining, Duration.ZERO);
    }

    static Decision refuse(Duration retryAfter) {
        return new Decision(false, 0, retryAfter);
    }
}
