package dev.orderflow.orchestration.order;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Orders committed by intake whose Redis reservations are still marked pending, per warehouse: the
 * next reservation call for the warehouse confirms them on its way (no round trip of their own).
 * Whatever is not confirmed that way (an idle warehouse, more than the cap, Redis away) the sweeper
 * confirms after the pending deadline, as it always did; so losing some here costs nothing but time.
 */
final class CommittedReservations {

    /** Per warehouse, at most this many wait; beyond that the sweeper confirms them. */
    static final int MAX_WAITING = 10_000;
    /** The most confirmed with one reservation call. */
    static final int MAX_PER_CALL = 1_024;

    private record Waiting(Queue<UUID> ids, AtomicInteger size) {
    }

    private final Map<String, Waiting> byWarehouse = new ConcurrentHashMap<>();

    void add(String warehouse, Collection<UUID> orderIds) {
        if (orderIds.isEmpty()) {
            return;
        }
        Waiting waiting = byWarehouse.computeIfAbsent(warehouse, key -> new Waiting(new ConcurrentLinkedQueue<>(), new AtomicInteger()));
        for (UUID id : orderIds) {
            if (waiting.size().incrementAndGet() > MAX_WAITING) {
                waiting.size().decrementAndGet();
                return;
            }
            waiting.ids().offer(id);
        }
    }

    /** Takes up to {@link #MAX_PER_CALL} of the warehouse's committed orders, to confirm now. */
    List<UUID> take(String warehouse) {
        Waiting waiting = byWarehouse.get(warehouse);
        if (waiting == null) {
            return List.of();
        }
        List<UUID> taken = new ArrayList<>();
        UUID next;
        while (taken.size() < MAX_PER_CALL && (next = waiting.ids().poll()) != null) {
            taken.add(next);
        }
        waiting.size().addAndGet(-taken.size());
        return taken;
    }
}
