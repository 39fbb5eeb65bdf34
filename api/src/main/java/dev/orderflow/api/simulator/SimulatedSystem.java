package dev.orderflow.api.simulator;

import dev.orderflow.orchestration.support.DomainException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The systems Orderflow calls, each with a simulator under {@code /simulators/<path>}. */
enum SimulatedSystem {
    /** Decides whether an order may go ahead on credit. */
    CREDIT,
    /** The warehouse system: picks, packs and ships, then confirms the shipment. */
    FULFILLMENT,
    /** Raises invoices and credit notes. */
    INVOICING;

    String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SimulatedSystem fromPath(String path) {
        return Arrays.stream(values())
                .filter(system -> system.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "not-found", "Not found",
                        "There is no simulator '" + path + "'; the simulators are " + Arrays.stream(values())
                                .map(SimulatedSystem::path).collect(Collectors.joining(", ")) + "."));
    }
}
