package dev.orderflow.orchestration.support;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * One strong random source for ids and keys. The platform default (NativePRNG) reads
 * {@code /dev/urandom} on every call, a blocking file read that must not happen on an event loop;
 * a DRBG is seeded once, here, and afterwards only computes.
 */
public final class SecureRandoms {

    private static final SecureRandom DRBG = seeded();

    private SecureRandoms() {
    }

    public static SecureRandom drbg() {
        return DRBG;
    }

    /** Seeds the generator now (at start-up, off the event loop) rather than on first use. */
    public static void warmUp() {
        DRBG.nextInt();
    }

    private static SecureRandom seeded() {
        try {
            SecureRandom random = SecureRandom.getInstance("DRBG");
            random.nextBytes(new byte[32]);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK 9+ ships DRBG", e);
        }
    }
}
