package dev.orderflow.orchestration.support;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;

/**
 * Identifiers for everything Orderflow stores. UUIDv7: unique without coordination across
 * instances, and ordered by creation time, so B-tree inserts stay local and ids double as cursors.
 */
public final class Ids {

    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator(SecureRandoms.drbg());

    private Ids() {
    }

    public static UUID next() {
        return GENERATOR.generate();
    }
}
