package io.prescale.app.fidelity;

import io.prescale.core.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Trace model → served model: {@code --map} entries first ({@code *} for every other model); without any,
 * each trace model is served by a model of its own (name sanitised), at most {@code limit} of them.
 */
final class ModelMapping implements Function<String, String> {
    private final Map<String, String> explicit;
    private final int limit;
    private final Map<String, String> auto = new LinkedHashMap<>();

    ModelMapping(Map<String, String> explicit, int limit) {
        this.explicit = Map.copyOf(explicit);
        this.limit = limit;
        explicit.values().forEach(v -> {
            if (!v.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) throw new ConfigException("--map", "served model name '" + v + "': use letters, digits, '.', '_', '-'");
        });
    }

    @Override
    public String apply(String traceModel) {
        String m = explicit.get(traceModel);
        if (m != null) return m;
        if (explicit.containsKey("*")) return explicit.get("*");
        if (!explicit.isEmpty()) return null;
        return auto.computeIfAbsent(traceModel, k -> {
            if (auto.size() >= limit)
                throw new ConfigException("--map", "the window has more than " + limit + " trace models: map them, e.g. --map '*=m'");
            String s = k.replaceAll("[^A-Za-z0-9._-]", "_");
            if (!Character.isLetterOrDigit(s.charAt(0))) s = "m" + s;
            return s.length() > 64 ? s.substring(0, 64) : s;
        });
    }
}
