package dev.orderflow.orchestration.support;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifiers for everything Orderflow stores: UUIDv7 (RFC 9562). Unique without coordination
 * across instances, and ordered by creation time to the millisecond, so B-tree inserts stay local
 * and ids double as list cursors. Lock-free: generated on event loops at full intake rate, where
 * a shared generator's lock would make threads wait. Ids are not secrets (access is checked on
 * every read), so a per-thread random source is enough for the 74 random bits.
 */
public final class Ids {

    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC = 0x8000_0000_0000_0000L;

    private Ids() {
    }

    public static UUID next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | VERSION_7 | (random.nextInt() & 0x0FFF);
        long low = VARIANT_RFC | (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL);
        return new UUID(high, low);
    }
}
