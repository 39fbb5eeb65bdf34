package dev.orderflow.orchestration.principal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import dev.orderflow.orchestration.support.SecureRandoms;
import java.util.Base64;

/**
 * Issues and hashes bearer API keys. Keys carry 256 random bits, so one SHA-256 pass is enough to
 * store them safely (a slow password hash protects guessable secrets, and would put a CPU-heavy
 * step on every request).
 */
public final class ApiKeys {

    static final String PREFIX = "of_";
    private static final int HINT_LENGTH = PREFIX.length() + 6;


    private ApiKeys() {
    }

    public static String generate() {
        byte[] secret = new byte[32];
        SecureRandoms.drbg().nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }

    /**
     * The part of a key that may be shown again, in listings. Only our own keys have a hint: their
     * first characters are a fixed prefix and a sliver of 256 random bits. A key chosen by a person
     * (ORDERFLOW_ADMIN_KEY) may be short, so none of it is shown.
     */
    public static String hint(String token) {
        if (!token.startsWith(PREFIX) || token.length() < HINT_LENGTH * 3) {
            return "(configured)";
        }
        return token.substring(0, HINT_LENGTH) + "…";
    }
}
