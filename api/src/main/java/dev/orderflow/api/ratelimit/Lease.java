package dev.orderflow.api.ratelimit;

import java.time.Duration;

/**
 * Tokens handed to one instance for one principal.
 *
 * @param granted   how many (0 when the bucket is empty)
 * @param refillIn  when none were granted, how long until the tokens asked for are back
 * @param remaining what the shared bucket still holds after this lease (a hint for clients)
 */
record Lease(int granted, Duration refillIn, int remaining) {
}
