package dev.orderflow.api.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change to one field of a parsed JSON body, found by its path ({@code "lines.0.quantity"}):
 * removed, or given another value. Missing containers make it a no-op, so any edit applies to any
 * body. The property tests of bad input damage a valid body with a few of these.
 */
public record JsonEdit(String path, boolean remove, Object value) {

    public void apply(Map<String, Object> body) {
        String[] steps = path.split("\\.");
        Object container = body;
        for (int i = 0; i < steps.length - 1 && container != null; i++) {
            container = child(container, steps[i]);
        }
        String last = steps[steps.length - 1];
        if (container instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) map;
            if (remove) {
                fields.remove(last);
            } else {
                fields.put(last, mutable(value));
            }
        } else if (container instanceof List<?> list && index(last) >= 0 && index(last) < list.size()) {
            @SuppressWarnings("unchecked")
            List<Object> items = (List<Object>) list;
            if (remove) {
                items.remove(index(last));
            } else {
                items.set(index(last), mutable(value));
            }
        }
    }

    /** A copy a later edit may change (the generated values are immutable, and shared between tries). */
    private static Object mutable(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(key, mutable(item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(mutable(item)));
            return copy;
        }
        return value;
    }

    private static Object child(Object container, String step) {
        if (container instanceof Map<?, ?> map) {
            return map.get(step);
        }
        if (container instanceof List<?> list && index(step) >= 0 && index(step) < list.size()) {
            return list.get(index(step));
        }
        return null;
    }

    /** A path step as a list index; -1 for a field name (an earlier edit may have put a list where an object was). */
    private static int index(String step) {
        return step.chars().allMatch(Character::isDigit) ? Integer.parseInt(step) : -1;
    }

    @Override
    public String toString() {
        return remove ? "-" + path : path + "=" + abbreviate(JsonText.write(value));
    }

    public static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " chars)";
    }
}
