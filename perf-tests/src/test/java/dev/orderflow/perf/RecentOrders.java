package dev.orderflow.perf;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** The ids of the last orders a run created, for status reads of orders that exist. */
final class RecentOrders {

    private final AtomicReferenceArray<String> ids;
    private final AtomicLong added = new AtomicLong();

    RecentOrders(int capacity) {
        ids = new AtomicReferenceArray<>(capacity);
    }

    void add(String id) {
        ids.set((int) (added.getAndIncrement() % ids.length()), id);
    }

    boolean isEmpty() {
        return added.get() == 0;
    }

    /** One of the recent ids, at random; null before the first. */
    String any() {
        long count = Math.min(added.get(), ids.length());
        return count == 0 ? null : ids.get(ThreadLocalRandom.current().nextInt((int) count));
    }
}
