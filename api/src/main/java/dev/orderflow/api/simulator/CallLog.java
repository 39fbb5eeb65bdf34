package dev.orderflow.api.simulator;

import dev.orderflow.orchestration.support.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The calls one simulator accepted, in arrival order: what demos and tests look at ("each order
 * went to fulfillment exactly once"). It is also what makes the simulator idempotent: a call whose
 * operation and {@code Idempotency-Key} were seen before gets the first call's answer and is not
 * recorded again. Only accepted calls are recorded; a call the simulator failed leaves nothing.
 * Bounded: beyond its capacity the oldest calls, and their keys, are forgotten. Lock-free: it is
 * used on event loops.
 */
final class CallLog {

    /**
     * One accepted call, as {@code GET /simulators/{system}/calls} lists it.
     *
     * @param operation      what was asked ({@code credit-check}, {@code fulfillment-request}, {@code cancel}, {@code invoice})
     * @param idempotencyKey the call's {@code Idempotency-Key}, or null if it had none
     * @param request        the body as the simulator read it (null when there was none)
     * @param answer         what the simulator answered, and answers again to a replay
     */
    record Call(String operation, String idempotencyKey, String orderId, Instant at, Object request, Object answer) {
    }

    /** The answer to send, and whether the call was a replay of an earlier one (nothing new recorded). */
    record Outcome<A>(A answer, boolean replay) {
    }

    private final int capacity;
    private final Clock clock;
    private final ConcurrentMap<String, Call> calls = new ConcurrentHashMap<>();
    private final Deque<String> arrivals = new ConcurrentLinkedDeque<>();

    CallLog(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    /**
     * Records a call, or finds the earlier one with the same operation and key. Concurrent calls with
     * one key record one call between them and all get its answer.
     *
     * @param key    the call's {@code Idempotency-Key}; null records the call whatever came before
     * @param answer makes the answer of a new call (a replay gets the earlier answer)
     */
    @SuppressWarnings("unchecked")
    <A> Outcome<A> record(String operation, String key, String orderId, Object request, Supplier<A> answer) {
        String slot = operation + ':' + (key != null ? key : "(none) " + Ids.next());
        Call call = new Call(operation, key, orderId, clock.instant(), request, answer.get());
        Call earlier = calls.putIfAbsent(slot, call);
        if (earlier != null) {
            return new Outcome<>((A) earlier.answer(), true);
        }
        arrivals.addLast(slot);
        forgetBeyondCapacity();
        return new Outcome<>((A) call.answer(), false);
    }

    /** The most recent {@code limit} calls (of {@code orderId}, when given), oldest first. */
    List<Call> list(String orderId, int limit) {
        List<Call> recent = new ArrayList<>();
        Iterator<String> newestFirst = arrivals.descendingIterator();
        while (newestFirst.hasNext() && recent.size() < limit) {
            Call call = calls.get(newestFirst.next());
            if (call != null && (orderId == null || orderId.equals(call.orderId()))) {
                recent.add(call);
            }
        }
        Collections.reverse(recent);
        return recent;
    }

    void clear() {
        arrivals.clear();
        calls.clear();
    }

    int size() {
        return calls.size();
    }

    private void forgetBeyondCapacity() {
        while (calls.size() > capacity) {
            String oldest = arrivals.pollFirst();
            if (oldest == null) {
                return;
            }
            calls.remove(oldest);
        }
    }
}
