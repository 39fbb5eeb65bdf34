package dev.orderflow.api.simulator;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/** Every simulator's behaviour and call log, by system: what {@code /simulators/{system}/...} reads and changes. */
final class Simulators {

    private final Map<SimulatedSystem, SimulatorBehaviour> behaviours = new EnumMap<>(SimulatedSystem.class);
    private final Map<SimulatedSystem, CallLog> calls = new EnumMap<>(SimulatedSystem.class);

    Simulators(SimulatorSettings settings, Clock clock) {
        behaviours.put(SimulatedSystem.CREDIT, new SimulatorBehaviour(SimulatedSystem.CREDIT, settings.credit().behaviour()));
        behaviours.put(SimulatedSystem.FULFILLMENT,
                new SimulatorBehaviour(SimulatedSystem.FULFILLMENT, settings.fulfillment().behaviour()));
        behaviours.put(SimulatedSystem.INVOICING,
                new SimulatorBehaviour(SimulatedSystem.INVOICING, settings.invoicing().behaviour()));
        for (SimulatedSystem system : SimulatedSystem.values()) {
            calls.put(system, new CallLog(settings.maxCalls(), clock));
        }
    }

    SimulatorBehaviour behaviour(SimulatedSystem system) {
        return behaviours.get(system);
    }

    CallLog calls(SimulatedSystem system) {
        return calls.get(system);
    }
}
