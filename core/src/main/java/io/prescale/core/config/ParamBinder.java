package io.prescale.core.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;

import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binds a map of overrides (from YAML, JSON or flags) onto a params record's defaults. Unknown keys and
 * wrong types are errors naming the path; the record's own constructor checks ranges, and its message
 * is prefixed with the path too.
 */
public final class ParamBinder {
    private ParamBinder() {}

    public static <P extends Record> P bind(Class<P> type, P defaults, Map<String, ?> overrides, String path) {
        Map<String, Object> merged = toMap(defaults);
        if (overrides != null) overlay(merged, overrides, path, type);
        try {
            return Yaml.json().convertValue(merged, type);
        } catch (IllegalArgumentException e) {
            Throwable c = e.getCause();
            if (c instanceof JsonMappingException jm) {
                String at = BindingErrors.path(jm);
                String field = at.isEmpty() ? "" : "." + at;
                Throwable root = rootCause(jm);
                if (root instanceof IllegalArgumentException && root != jm && !(root instanceof JsonMappingException)) {
                    // a record's own range check: name the field its message starts with
                    if (field.isEmpty()) field = fieldNamedBy(type, root.getMessage());
                    throw new ConfigException(path + field, root.getMessage());
                }
                throw new ConfigException(path + field, BindingErrors.reason(jm));
            }
            throw new ConfigException(path, e.getMessage());
        }
    }

    public static Map<String, Object> toMap(Record params) {
        return Yaml.json().convertValue(params, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    /**
     * Dotted keys as the nested maps {@link #bind} takes: {@code {"base.maxUtilization": 0.8}} becomes
     * {@code {base: {maxUtilization: 0.8}}} (flags and sweep labels name a nested record's field that way).
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> nest(Map<String, ?> dotted) {
        Map<String, Object> out = new LinkedHashMap<>();
        dotted.forEach((key, value) -> {
            String[] parts = key.split("\\.");
            Map<String, Object> at = out;
            for (int i = 0; i < parts.length - 1; i++) {
                Object next = at.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
                if (!(next instanceof Map)) throw new ConfigException(key, "set both as a value and as nested fields");
                at = (Map<String, Object>) next;
            }
            at.put(parts[parts.length - 1], value);
        });
        return out;
    }

    /**
     * Puts {@code overrides} over {@code merged}, the map of record {@code type}; a map over a nested record's map is
     * merged key by key. A bare number for a duration is refused, as on the command line: "scaleDownDelay: 30" could
     * mean 30 s or 30 min (only 0 is the same in every unit).
     */
    @SuppressWarnings("unchecked")
    private static void overlay(Map<String, Object> merged, Map<String, ?> overrides, String path, Class<?> type) {
        for (var e : overrides.entrySet()) {
            if (!merged.containsKey(e.getKey()))
                throw new ConfigException(path + "." + e.getKey(), "unknown parameter"
                        + DidYouMean.suffix(e.getKey(), merged.keySet()) + " (known: " + String.join(", ", merged.keySet()) + ")");
            Class<?> field = componentType(type, e.getKey());
            if (field == java.time.Duration.class && (e.getValue() instanceof Number || e.getValue() instanceof CharSequence))
                Durations.requireUnit(path + "." + e.getKey(), String.valueOf(e.getValue()));
            if (merged.get(e.getKey()) instanceof Map<?, ?> nested && e.getValue() instanceof Map<?, ?> over) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) nested);
                overlay(copy, (Map<String, ?>) over, path + "." + e.getKey(), field);
                merged.put(e.getKey(), copy);
            } else {
                merged.put(e.getKey(), e.getValue());
            }
        }
    }

    /** The type of record {@code type}'s component {@code name}; null when there is none (or no record). */
    private static Class<?> componentType(Class<?> type, String name) {
        if (type == null || !type.isRecord()) return null;
        for (var c : type.getRecordComponents()) if (c.getName().equals(name)) return c.getType();
        return null;
    }

    private static String fieldNamedBy(Class<? extends Record> type, String message) {
        if (message == null) return "";
        for (var c : type.getRecordComponents()) {
            if (message.startsWith(c.getName() + " ") || message.startsWith(c.getName() + ":")) return "." + c.getName();
        }
        return "";
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t instanceof InvocationTargetException ite && ite.getCause() != null) t = ite.getCause();
        }
        return t;
    }
}
