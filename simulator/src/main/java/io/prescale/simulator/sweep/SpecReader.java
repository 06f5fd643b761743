package io.prescale.simulator.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.prescale.core.config.ConfigException;
import io.prescale.core.config.DidYouMean;
import io.prescale.core.config.Durations;
import io.prescale.core.config.ParamBinder;
import io.prescale.core.config.PolicyFile;
import io.prescale.core.config.Yaml;
import io.prescale.core.resource.SharingMode;
import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.cluster.SimulatedPool;
import io.prescale.simulator.sweep.ExperimentSpec.At;
import io.prescale.simulator.sweep.ExperimentSpec.Metric;
import io.prescale.simulator.sweep.ExperimentSpec.Objective;
import io.prescale.simulator.sweep.ExperimentSpec.PolicySweep;
import io.prescale.simulator.sweep.ExperimentSpec.Window;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an experiment YAML strictly: unknown keys, wrong types, empty lists, unknown policies and bad
 * param values are {@link ConfigException}s whose path names the field ({@code policies[2].params.tolerance}).
 * Relative file paths (a {@code FORMAT:PATH} trace, a catalog) are resolved against the spec's folder.
 */
public final class SpecReader {
    private SpecReader() {}

    static final Set<String> KEYS = Set.of("schema", "name", "description", "objective", "trace", "catalog", "from", "to",
            "windows", "rateScale", "seed", "sharing", "packer", "consolidate", "policies", "skipBadRows", "reportInterval", "warmup");

    public static ExperimentSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "experiment file not found");
        } catch (IOException e) {
            throw new ConfigException(file.toString(), e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            return parse(text, dir);
        } catch (ConfigException e) {
            // name the file, as catalog errors do: "my.yaml: policies[0].id: ..."
            throw new ConfigException(e.path().equals("experiment") ? file.toString() : file + ": " + e.path(), e.reason());
        }
    }

    /** Parses spec text; {@code baseDir} resolves relative paths. */
    public static ExperimentSpec parse(String text, Path baseDir) {
        JsonNode root;
        try {
            root = Yaml.yaml().readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException("experiment", "not valid YAML: " + Yaml.syntaxError(e));
        }
        if (root == null || !root.isObject()) throw new ConfigException("experiment", "want a YAML mapping of keys such as name, trace, policies");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) throw new ConfigException(k, DidYouMean.unknownKey(k, sorted(KEYS)));
        }
        String schema = optText(root, "schema");
        if (schema != null && !schema.equals(ExperimentSpec.SCHEMA))
            throw new ConfigException("schema", "expected " + ExperimentSpec.SCHEMA + ", got " + schema);
        String name = requireText(root, "name");
        // winner.yaml carries the experiment's name, and the live runner stores it as a file
        if (!name.matches(PolicyFile.NAME_RULE))
            throw new ConfigException("name", "use letters, digits, '.', '_' or '-' only, starting with a letter or digit, at most 128 (it names the run folder and winner.yaml)");

        Objective objective = objective(root.get("objective"));
        List<At<String>> traces = new ArrayList<>();
        for (At<JsonNode> t : listOf(root, "trace", true)) traces.add(new At<>(resolveTrace(text(t), baseDir), t.path()));
        List<At<String>> catalogs = new ArrayList<>();
        if (root.has("catalog")) {
            for (At<JsonNode> c : listOf(root, "catalog", true)) catalogs.add(new At<>(baseDir.resolve(text(c)).normalize().toString(), c.path()));
        } else {
            catalogs.add(new At<>(null, "catalog"));
        }
        List<Window> windows = windows(root);
        List<At<String>> sharing = names(root, "sharing", SharingMode::parse, null);
        List<At<String>> packers = names(root, "packer", SimulatedPool.Packer::parse, "first-fit");
        List<At<Boolean>> consolidate = new ArrayList<>();
        if (root.has("consolidate")) {
            for (At<JsonNode> b : listOf(root, "consolidate", true)) {
                if (!b.value().isBoolean()) throw new ConfigException(b.path(), "want true or false, got " + b.value());
                consolidate.add(new At<>(b.value().asBoolean(), b.path()));
            }
        } else {
            consolidate.add(new At<>(false, "consolidate"));
        }
        List<At<Double>> scales = new ArrayList<>();
        if (root.has("rateScale")) {
            for (At<JsonNode> s : listOf(root, "rateScale", true)) {
                double v = number(s);
                if (!(v > 0 && Double.isFinite(v))) throw new ConfigException(s.path(), "must be a finite number > 0, got " + v);
                scales.add(new At<>(v, s.path()));
            }
        } else {
            scales.add(new At<>(1.0, "rateScale"));
        }
        List<At<Long>> seeds = new ArrayList<>();
        if (root.has("seed")) {
            for (At<JsonNode> s : listOf(root, "seed", true)) {
                if (!s.value().canConvertToLong() || !s.value().isIntegralNumber()) throw new ConfigException(s.path(), "want a whole number, got " + s.value());
                seeds.add(new At<>(s.value().asLong(), s.path()));
            }
        } else {
            seeds.add(new At<>(1L, "seed"));
        }
        boolean skipBad = false;
        if (root.has("skipBadRows")) {
            JsonNode b = root.get("skipBadRows");
            if (!b.isBoolean()) throw new ConfigException("skipBadRows", "want true or false, got " + b);
            skipBad = b.asBoolean();
        }
        String report = optDuration(root, "reportInterval", false);
        String warmup = optDuration(root, "warmup", true);
        List<PolicySweep> policies = policies(root.get("policies"));
        return new ExperimentSpec(name, optText(root, "description"), objective, traces, windows, catalogs, sharing, packers, consolidate, scales, seeds,
                policies, skipBad, report, warmup);
    }

    /** The duration text at {@code key}, checked (positive, or non-negative when {@code zeroAllowed}); null when absent. */
    private static String optDuration(JsonNode root, String key, boolean zeroAllowed) {
        JsonNode n = root.get(key);
        // "warmup: 10" read "want text, got 10": say what is missing, as the flags do
        String text = n != null && n.isNumber() ? n.asText() : optText(root, key);
        if (text == null) return null;
        Durations.requireUnit(key, text);
        try {
            java.time.Duration d = Durations.parse(text);
            if (d.isNegative() || (!zeroAllowed && d.isZero())) throw new IllegalArgumentException(zeroAllowed ? "must be >= 0" : "must be > 0");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
        return text;
    }

    private static Objective objective(JsonNode o) {
        if (o == null || o.isNull()) return new Objective(Metric.gpuHours, 0.99);
        if (!o.isObject()) throw new ConfigException("objective", "want a mapping {minimize: gpuHours|costUsd, sloTarget: 0.99}");
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("minimize") && !k.equals("sloTarget") && !k.equals("confidence"))
                throw new ConfigException("objective." + k, DidYouMean.unknownKey(k, List.of("minimize", "sloTarget", "confidence")));
        }
        Metric metric = Metric.gpuHours;
        if (o.has("minimize")) {
            String m = text(new At<>(o.get("minimize"), "objective.minimize"));
            try {
                metric = Metric.valueOf(m);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("objective.minimize", "unknown figure '" + m + "' (one of gpuHours, costUsd)");
            }
        }
        double target = 0.99;
        if (o.has("sloTarget")) {
            target = number(new At<>(o.get("sloTarget"), "objective.sloTarget"));
            if (!(target > 0 && target <= 1)) throw new ConfigException("objective.sloTarget", "a fraction in (0, 1], e.g. 0.99; got " + target);
        }
        double confidence = o.has("confidence") ? number(new At<>(o.get("confidence"), "objective.confidence")) : 0;
        try {
            return new Objective(metric, target, confidence);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("objective.confidence", e.getMessage());
        }
    }

    /** A string or list of names under {@code key}, each checked by {@code parse}; one {@code absent} value when the key is missing. */
    private static List<At<String>> names(JsonNode root, String key, java.util.function.Consumer<String> parse, String absent) {
        List<At<String>> out = new ArrayList<>();
        if (!root.has(key)) {
            out.add(new At<>(absent, key));
            return out;
        }
        for (At<JsonNode> s : listOf(root, key, true)) {
            String v = text(s);
            try {
                parse.accept(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(s.path(), e.getMessage());
            }
            out.add(new At<>(v, s.path()));
        }
        return out;
    }

    private static List<Window> windows(JsonNode root) {
        List<Window> out = new ArrayList<>();
        if (root.has("windows")) {
            if (root.has("from") || root.has("to")) throw new ConfigException("windows", "give either windows or from/to, not both");
            for (At<JsonNode> w : listOf(root, "windows", false)) {
                if (!w.value().isObject()) throw new ConfigException(w.path(), "want a mapping {from: 7d, to: 9d}");
                for (Iterator<String> it = w.value().fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (!k.equals("from") && !k.equals("to")) throw new ConfigException(w.path() + "." + k, DidYouMean.unknownKey(k, List.of("from", "to")));
                }
                out.add(new Window(scalarText(w.value(), "from", w.path() + ".from"), scalarText(w.value(), "to", w.path() + ".to")));
            }
        } else {
            out.add(new Window(scalarText(root, "from", "from"), scalarText(root, "to", "to")));
        }
        return out;
    }

    private static At<String> scalarText(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) return new At<>(null, path);
        if (!n.isValueNode()) throw new ConfigException(path, "want an offset such as 7d or an ISO time, got " + n);
        Durations.requireUnit(path, n.asText()); // "from: 36": 36 s, 36 h or 36 d?
        return new At<>(n.asText(), path);
    }

    private static List<PolicySweep> policies(JsonNode ps) {
        if (ps == null || ps.isNull()) throw new ConfigException("policies", "missing: list the policies to sweep, e.g. [{id: reactive.hpa, params: {targetUtilization: [0.5, 0.7]}}]");
        if (!ps.isArray() || ps.isEmpty()) throw new ConfigException("policies", "want a non-empty list of {id, params}");
        List<PolicySweep> out = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            String path = "policies[" + i + "]";
            JsonNode p = ps.get(i);
            if (p.isTextual()) p = Yaml.json().createObjectNode().put("id", p.asText());
            if (!p.isObject()) throw new ConfigException(path, "want {id: POLICY, params: {...}} or a policy id");
            for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!k.equals("id") && !k.equals("params")) throw new ConfigException(path + "." + k, DidYouMean.unknownKey(k, List.of("id", "params")));
            }
            if (!p.has("id")) throw new ConfigException(path + ".id", "missing");
            String id = text(new At<>(p.get("id"), path + ".id"));
            try {
                PolicyCatalog.entry(id);
            } catch (ConfigException e) {
                throw new ConfigException(path + ".id", e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
            }
            Map<String, List<At<Object>>> params = new LinkedHashMap<>();
            JsonNode pm = p.get("params");
            if (pm != null && !pm.isNull()) {
                if (!pm.isObject()) throw new ConfigException(path + ".params", "want a mapping of param: value or [values]");
                for (Iterator<String> it = pm.fieldNames(); it.hasNext(); ) {
                    String field = it.next();
                    readParam(id, params, field, pm, field, path + ".params." + field);
                }
            }
            out.add(new PolicySweep(new At<>(id, path + ".id"), params, path));
        }
        return out;
    }

    /** One param value over the defaults: unknown names and out-of-range values fail here, naming the value's path. */
    /**
     * One param's values under {@code key}; a mapping is a nested record's fields (the budget policy's
     * {@code base}), each read in turn under a dotted key ({@code base.maxUtilization}) and swept like the others.
     */
    private static void readParam(String id, Map<String, List<At<Object>>> params, String key, JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (n != null && n.isObject()) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String sub = it.next();
                readParam(id, params, key + "." + sub, n, sub, path + "." + sub);
            }
            return;
        }
        List<At<Object>> values = new ArrayList<>();
        for (At<JsonNode> v : listOf(parent, field, true, path)) {
            Object value = Yaml.json().convertValue(v.value(), Object.class);
            checkParam(id, key, value, v.path());
            values.add(new At<>(value, v.path()));
        }
        params.put(key, values);
    }

    private static void checkParam(String policy, String key, Object value, String path) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(key, value);
        try {
            PolicyCatalog.defaultsMerged(policy, ParamBinder.nest(one));
        } catch (ConfigException e) {
            String reason = e.reason();
            throw new ConfigException(path, reason);
        }
    }

    static String resolveTrace(String spec, Path baseDir) {
        int colon = spec.indexOf(':');
        if (colon <= 0) return spec;
        Path file = Path.of(spec.substring(colon + 1));
        return file.isAbsolute() ? spec : spec.substring(0, colon + 1) + baseDir.resolve(file).normalize();
    }

    private static List<At<JsonNode>> listOf(JsonNode parent, String key, boolean scalars) {
        return listOf(parent, key, scalars, key);
    }

    /** A scalar or a list of them; list elements get paths {@code key[i]}. */
    private static List<At<JsonNode>> listOf(JsonNode parent, String key, boolean scalars, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) throw new ConfigException(path, "missing");
        List<At<JsonNode>> out = new ArrayList<>();
        if (n.isArray()) {
            if (n.isEmpty()) throw new ConfigException(path, "empty list: give at least one value");
            for (int i = 0; i < n.size(); i++) {
                JsonNode e = n.get(i);
                String p = path + "[" + i + "]";
                if (scalars && !e.isValueNode()) throw new ConfigException(p, "want a single value, got " + e);
                out.add(new At<>(e, p));
            }
        } else {
            if (scalars && !n.isValueNode()) throw new ConfigException(path, "want a value or a list of values, got " + n);
            out.add(new At<>(n, path));
        }
        return out;
    }

    private static String text(At<JsonNode> n) {
        if (!n.value().isTextual() || n.value().asText().isBlank()) throw new ConfigException(n.path(), "want text, got " + n.value());
        return n.value().asText().trim();
    }

    private static double number(At<JsonNode> n) {
        if (!n.value().isNumber()) throw new ConfigException(n.path(), "want a number, got " + n.value());
        return n.value().asDouble();
    }

    private static String requireText(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) throw new ConfigException(key, "missing");
        return text(new At<>(n, key));
    }

    private static String optText(JsonNode root, String key) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? null : text(new At<>(n, key));
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
