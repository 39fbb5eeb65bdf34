package dev.orderflow.api.simulator;

import dev.orderflow.api.simulator.FulfillmentSimulator.Line;
import dev.orderflow.api.simulator.ShipmentCallback.Shipment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * The simulated warehouse floor: a while after each fulfillment request it ships every requested
 * line in full and has the {@link ShipmentCallback} confirm it, unless the order is cancelled first.
 * Pending shipments live in memory only; a restart forgets them.
 */
final class AutoShipper implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(AutoShipper.class);

    private final boolean enabled;
    private final Duration delay;
    private final ShipmentCallback callback;
    private final ConcurrentMap<String, Pending> pending = new ConcurrentHashMap<>();

    /** A shipment waiting for its time, by fulfillment request id. */
    private record Pending(String orderId, Disposable.Swap shipment) {
    }

    AutoShipper(boolean enabled, Duration delay, ShipmentCallback callback) {
        this.enabled = enabled;
        this.delay = delay;
        this.callback = callback;
    }

    void schedule(String orderId, String requestId, List<Line> lines) {
        if (!enabled) {
            return;
        }
        Shipment shipment = Shipment.of(requestId, lines);
        Pending entry = new Pending(orderId, Disposables.swap());
        pending.put(requestId, entry);
        // Subscribed here on purpose: the shipment outlives the request that ordered it, as a real
        // warehouse's would. The subscription is kept in `pending`, so a cancel or shutdown stops it.
        entry.shipment().update(Mono.delay(delay)
                .then(callback.confirm(orderId, shipment))
                .doFinally(signal -> pending.remove(requestId, entry))
                .subscribe());
    }

    /** Stops every shipment still pending for the order, including one whose confirmation is being retried. */
    void cancel(String orderId) {
        pending.values().removeIf(entry -> {
            if (!entry.orderId().equals(orderId)) {
                return false;
            }
            entry.shipment().dispose();
            return true;
        });
        LOG.debug("Fulfillment simulator: pending shipments of order {} cancelled", orderId);
    }

    int pendingCount() {
        return pending.size();
    }

    @Override
    public void destroy() {
        pending.values().forEach(entry -> entry.shipment().dispose());
        pending.clear();
    }
}
