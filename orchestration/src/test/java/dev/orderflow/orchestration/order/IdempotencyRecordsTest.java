package dev.orderflow.orchestration.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.orchestration.order.IdempotencyRecords.StoredResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A stored answer is replayed only for the very request that made it. */
class IdempotencyRecordsTest {

    private static final byte[] HASH = {1, 2, 3, 4};

    @Test
    void onlyTheSameRequestFingerprintIsTheSameRequest() {
        StoredResponse stored = new StoredResponse(HASH, 201, "{}", UUID.randomUUID());

        assertThat(stored.sameRequest(new byte[] {1, 2, 3, 4})).isTrue();
        assertThat(stored.sameRequest(new byte[] {1, 2, 3, 5})).isFalse();
        assertThat(stored.sameRequest(new byte[] {1, 2, 3})).isFalse();
        assertThat(stored.sameRequest(new byte[0])).isFalse();
    }
}
