package dev.orderflow.orchestration.support;

import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** JSON for what the domain stores as JSON (event payloads, addresses). */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private static final TypeReference<java.util.List<Map<String, Object>>> LIST = new TypeReference<>() {
    };

    private Json() {
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    public static java.util.List<Map<String, Object>> readList(String json) {
        return json == null ? java.util.List.of() : MAPPER.readValue(json, LIST);
    }

    public static Map<String, Object> readObject(String json) {
        return json == null ? null : MAPPER.readValue(json, OBJECT);
    }
}
