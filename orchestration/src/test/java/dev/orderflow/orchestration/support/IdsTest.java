package dev.orderflow.orchestration.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void idsAreVersion7WithTheRfcVariantAndTheCurrentTime() {
        long before = System.currentTimeMillis();
        UUID id = Ids.next();
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnes() {
        UUID earlier = Ids.next();
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() == start) {
            Thread.onSpinWait();
        }
        UUID later = Ids.next();

        // PostgreSQL compares uuids as unsigned bytes; so does this
        assertThat(compareUnsigned(earlier, later)).isNegative();
    }

    @Test
    void idsAreUniqueAcrossThreads() {
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        List<UUID> all = IntStream.range(0, 200_000).parallel().mapToObj(i -> Ids.next()).toList();
        seen.addAll(all);

        assertThat(seen).hasSize(all.size());
        assertThat(new HashSet<>(all)).hasSize(200_000);
    }

    private static int compareUnsigned(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
