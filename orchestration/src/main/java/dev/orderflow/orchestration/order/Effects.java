package dev.orderflow.orchestration.order;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a committed transition asks to happen next, outside its transaction: steps to start, and
 * units to give back to Redis's "available" (only if Redis is still at {@code generation}).
 */
public record Effects(List<UUID> newSteps, String warehouse, long generation, Map<String, Integer> releasedUnits) {

    public static Effects none() {
        return new Effects(List.of(), null, 0, Map.of());
    }

    public static Effects steps(List<UUID> stepIds) {
        return new Effects(List.copyOf(stepIds), null, 0, Map.of());
    }

    Effects withRelease(String warehouse, long generation, Map<String, Integer> units) {
        return new Effects(newSteps, warehouse, generation, Map.copyOf(units));
    }

    Effects plus(Effects other) {
        List<UUID> steps = new ArrayList<>(newSteps);
        steps.addAll(other.newSteps);
        Map<String, Integer> units = new HashMap<>(releasedUnits);
        other.releasedUnits.forEach((sku, count) -> units.merge(sku, count, Integer::sum));
        String wh = warehouse != null ? warehouse : other.warehouse;
        long gen = warehouse != null ? generation : other.generation;
        return new Effects(List.copyOf(steps), wh, gen, Map.copyOf(units));
    }
}
