package io.prescale.simulator.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.core.config.Yaml;
import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.resource.MigProfile;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A catalog file: the pools (machine shapes with prices) and the models a trace's model names map to,
 * by glob pattern, with a default spec for names no pattern matches. Every entry is written over
 * {@code defaults}; unknown keys and bad values are errors naming their path, e.g. {@code models[2].slo.latency}.
 * The shipped catalogs live in this module's resources ({@code catalogs/<trace>.yaml}) and cite their figures.
 */
public final class ModelCatalog {
    private static final Set<String> MODEL_KEYS = Set.of("match", "pool", "cpuCores", "hostMemory", "gpuMemory",
            "gpuComputeShare", "migProfile", "latency", "maxBatch", "maxQueueDelay", "queueCapacity", "timeout",
            "slo", "priority", "loadTime", "minReplicas", "maxReplicas", "source");
    private static final Set<String> LATENCY_KEYS = Set.of("base", "perItem", "perInputToken", "perOutputToken");
    private static final Set<String> SLO_KEYS = Set.of("latency", "slowdown", "target");
    private static final Set<String> POOL_KEYS = Set.of("id", "gpuType", "gpusPerNode", "gpuMemory", "cpuCores",
            "hostMemory", "pricePerHour", "provisioningDelay", "sharing", "minNodes", "maxNodes", "priceSource",
            "migReconfigurationDelay");

    private final String name;
    private final Map<String, PoolShape> pools;
    private final ObjectNode defaults;
    private final List<ObjectNode> entries;
    private final List<PathMatcher> matchers = new ArrayList<>();

    private ModelCatalog(String name, Map<String, PoolShape> pools, ObjectNode defaults, List<ObjectNode> entries) {
        this.name = name;
        this.pools = pools;
        this.defaults = defaults;
        this.entries = entries;
        for (int i = 0; i < entries.size(); i++) {
            String glob = entries.get(i).path("match").asText("");
            if (glob.isEmpty()) throw new ConfigException(name + ": models[" + i + "].match", "missing");
            for (int j = 0; j < i; j++)
                if (entries.get(j).path("match").asText("").equals(glob))
                    throw new ConfigException(name + ": models[" + i + "].match", "'" + glob + "' repeats models[" + j + "].match, which would always win");
            try {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new ConfigException(name + ": models[" + i + "].match", "not a glob: '" + glob + "' (" + e.getDescription() + ")");
            }
        }
        // resolve the default spec once so a bad default fails at load time
        spec("default", defaults, name + ": defaults");
        for (int i = 0; i < entries.size(); i++) spec("x", merge(defaults, entries.get(i)), name + ": models[" + i + "]");
    }

    public Map<String, PoolShape> pools() {
        return pools;
    }

    public String name() {
        return name;
    }

    /** The spec for trace model {@code model}: the first matching entry over the defaults, else the defaults. */
    public Resolved resolve(String model) {
        int i = entryOf(model);
        return i >= 0 ? new Resolved(spec(model, merge(defaults, entries.get(i)), name + ": models[" + i + "]"), true)
                : new Resolved(spec(model, defaults, name + ": defaults"), false);
    }

    /**
     * Where in the file the spec of trace model {@code model} comes from ({@code my.yaml: models[2]}, {@code my.yaml: defaults}),
     * for the errors found once the pools a run uses are known (a MIG profile under {@code --sharing mig}).
     */
    public String where(String model) {
        int i = entryOf(model);
        return name + (i >= 0 ? ": models[" + i + "]" : ": defaults");
    }

    private int entryOf(String model) {
        for (int i = 0; i < entries.size(); i++)
            if (matchers.get(i).matches(Path.of(model.replace('/', '_')))) return i;
        return -1;
    }

    /** A resolved spec, and whether a pattern matched (false: the default spec was used). */
    public record Resolved(ModelSpec spec, boolean matched) {}

    public static ModelCatalog load(Path file) {
        // a folder (--catalog experiments/catalogs) read "catalog file not found" though it is there
        if (Files.isDirectory(file)) throw new ConfigException(file.toString(), "is a folder, not a catalog file");
        if (!Files.isRegularFile(file)) throw new ConfigException(file.toString(), "catalog file not found");
        try (InputStream in = Files.newInputStream(file)) {
            return parse(file.toString(), in);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), e.getMessage());
        }
    }

    public static ModelCatalog builtin(String trace) {
        String res = "/io/prescale/simulator/catalogs/" + trace.replace("-clients", "") + ".yaml";
        InputStream in = ModelCatalog.class.getResourceAsStream(res);
        if (in == null) in = ModelCatalog.class.getResourceAsStream("/io/prescale/simulator/catalogs/default.yaml");
        try (InputStream s = in) {
            return parse("catalog " + trace, s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ModelCatalog parse(String name, InputStream in) {
        JsonNode root;
        try {
            root = Yaml.yaml().readTree(in);
        } catch (JsonProcessingException e) {
            throw new ConfigException(name, "not valid YAML: " + Yaml.syntaxError(e));
        } catch (IOException e) {
            throw new ConfigException(name, e.getMessage());
        }
        if (root == null || !root.isObject()) throw new ConfigException(name, "empty catalog");
        noControlCharacters(root, name + ":");
        checkKeys(root, Set.of("schema", "pools", "defaults", "models"), name + ":");
        if (!"prescale.catalog/v1".equals(root.path("schema").asText()))
            throw new ConfigException(name + ": schema", "expected prescale.catalog/v1");
        JsonNode ps = root.path("pools");
        Map<String, PoolShape> pools = ps.isMissingNode() ? builtinPools() : pools(ps, name);
        JsonNode d = root.path("defaults");
        if (!d.isObject())
            throw new ConfigException(name + ": defaults", "missing: the spec every models[] entry is written over and unmatched models get (at least pool, latency, slo)");
        checkKeys(d, MODEL_KEYS, name + ": defaults");
        List<ObjectNode> entries = new ArrayList<>();
        JsonNode ms = root.path("models");
        if (!ms.isMissingNode()) {
            if (!ms.isArray()) throw new ConfigException(name + ": models", "must be a list");
            for (int i = 0; i < ms.size(); i++) {
                checkKeys(ms.get(i), MODEL_KEYS, name + ": models[" + i + "]");
                entries.add((ObjectNode) ms.get(i));
            }
        }
        ModelCatalog c = new ModelCatalog(name, pools, (ObjectNode) d, entries);
        c.spec("default", (ObjectNode) d, name + ": defaults").pool();
        return c;
    }

    /**
     * Refuses a control character in any key or text of the catalog (a line break or tab in a text is allowed),
     * naming where: pool ids, GPU types and model globs are printed in terminal tables and recommendation lines, where
     * an escape sequence would be obeyed.
     */
    private static void noControlCharacters(JsonNode node, String where) {
        if (node.isTextual()) {
            requireNoControl(node.asText(), "\t\n\r", where, "holds"); // a folded source text keeps its lines
        } else if (node.isObject()) {
            for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) node::fields) {
                requireNoControl(e.getKey(), "", where, "a key holds");
                noControlCharacters(e.getValue(), where + (where.endsWith(":") ? " " : ".") + e.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) noControlCharacters(node.get(i), where + "[" + i + "]");
        }
    }

    private static void requireNoControl(String text, String allowed, String where, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && allowed.indexOf(c) < 0)
                throw new ConfigException(where, String.format("%s a control character (U+%04X)", what, (int) c));
        }
    }

    /** The shipped pool shapes with their prices and sources ({@code catalogs/pools.yaml}). */
    public static Map<String, PoolShape> builtinPools() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream("/io/prescale/simulator/catalogs/pools.yaml")) {
            return pools(Yaml.yaml().readTree(in).path("pools"), "catalog pools");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, PoolShape> pools(JsonNode ps, String name) {
        Map<String, PoolShape> pools = new LinkedHashMap<>();
        if (!ps.isArray() || ps.isEmpty()) throw new ConfigException(name + ": pools", "at least one pool is needed");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            PoolShape p = pool(ps.get(i), name + ": pools[" + i + "]");
            // a second pool of one id replaced the first without a word: models placed on it got the other's GPUs and price
            if (pools.containsKey(p.id()))
                throw new ConfigException(name + ": pools[" + i + "].id", "'" + p.id() + "' repeats pools[" + ids.indexOf(p.id()) + "].id");
            pools.put(p.id(), p);
            ids.add(p.id());
        }
        return pools;
    }

    private static PoolShape pool(JsonNode n, String path) {
        checkKeys(n, POOL_KEYS, path);
        SharingMode sharing;
        try {
            sharing = SharingMode.parse(n.path("sharing").asText("exclusive"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ".sharing", e.getMessage());
        }
        PoolShape shape;
        try {
            shape = new PoolShape(text(n, "id", path), n.path("gpuType").asText("none"), integer(n, "gpusPerNode", path, 1),
                    bytes(n, "gpuMemory", path, 0), number(n, "cpuCores", path, null), bytes(n, "hostMemory", path, 0),
                    number(n, "pricePerHour", path, null), duration(n, "provisioningDelay", path, null),
                    sharing, integer(n, "minNodes", path, 0), integer(n, "maxNodes", path, 100_000), n.path("priceSource").asText(""),
                    duration(n, "migReconfigurationDelay", path, PoolShape.DEFAULT_MIG_RECONFIGURATION_DELAY));
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) throw e;
            throw atField(path, e.getMessage());
        }
        // the simulator packs a GPU node as one GPU (its memory, its SMs, its MIG slices): 8 H100s at the 8-GPU instance's
        // price held one GPU's replicas, so an exclusive replica paid 8 GPUs and GPU-hours counted 8 a node-hour
        if (shape.gpusPerNode() > 1)
            throw new ConfigException(path + ".gpusPerNode", "a GPU pool's node is one GPU here (replicas are packed per GPU): "
                    + "write gpusPerNode: 1 and the instance's price per GPU (its price / " + shape.gpusPerNode() + ")");
        // caught here, not mid-run: MIG on a 24 GB GPU read "model x: 0 GB fits no MIG instance" or failed as the run began
        if (!shape.supports(sharing))
            throw new ConfigException(path + ".sharing", shape.isGpu()
                    ? "mig needs a 40 GB or 80 GB (A100/H100), 94 GB (H100 NVL), 96 GB (GH200) or 141 GB (H200) GPU, not " + size(shape.gpuMemoryBytes()) + " (use exclusive, mps or time-sliced)"
                    : "a CPU pool (gpusPerNode: 0) shares no GPU: use exclusive");
        return shape;
    }

    private static String size(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1fGB", bytes / 1e9);
    }

    private ModelSpec spec(String id, ObjectNode n, String path) {
        String pool = text(n, "pool", path);
        if (!pools.containsKey(pool)) throw new ConfigException(path + ".pool", "unknown pool '" + pool + "' (known: " + String.join(", ", pools.keySet()) + ")");
        JsonNode lat = n.path("latency");
        // "latency: 5" or "slo: 500ms" is there, not missing: say what shape it takes
        if (!lat.isObject()) throw new ConfigException(path + ".latency", present(lat) ? "want a mapping such as {base: 40ms, perItem: 10ms}, got " + lat : "missing");
        checkKeys(lat, LATENCY_KEYS, path + ".latency");
        JsonNode slo = n.path("slo");
        if (!slo.isObject()) throw new ConfigException(path + ".slo", present(slo) ? "want a mapping such as {latency: 500ms}, got " + slo : "missing");
        checkKeys(slo, SLO_KEYS, path + ".slo");
        try {
            LatencyProfile lp;
            try {
                lp = new LatencyProfile(seconds(lat, "base", path + ".latency"), seconds(lat, "perItem", path + ".latency"),
                        secondsOr0(lat, "perInputToken", path + ".latency"), secondsOr0(lat, "perOutputToken", path + ".latency"));
            } catch (IllegalArgumentException e) {
                if (e instanceof ConfigException) throw e;
                throw new ConfigException(path + ".latency", e.getMessage());
            }
            Slo s;
            try {
                s = new Slo(duration(slo, "latency", path + ".slo", null), number(slo, "slowdown", path + ".slo", 0.0),
                        number(slo, "target", path + ".slo", 0.99));
            } catch (IllegalArgumentException e) {
                if (e instanceof ConfigException) throw e;
                throw atField(path + ".slo", e.getMessage());
            }
            ResourceNeeds needs;
            try {
                needs = new ResourceNeeds(number(n, "cpuCores", path, 1.0), bytes(n, "hostMemory", path, 0), bytes(n, "gpuMemory", path, 0),
                        number(n, "gpuComputeShare", path, 1.0), n.hasNonNull("migProfile") ? n.get("migProfile").asText() : null);
            } catch (IllegalArgumentException e) {
                if (e instanceof ConfigException) throw e;
                throw atField(path, e.getMessage());
            }
            if (needs.gpuMemoryBytes() > 0 && !(needs.gpuComputeShare() > 0))
                throw new ConfigException(path + ".gpuComputeShare", "must be > 0 for a model on a GPU (it would share one without slowing anyone)");
            if (needs.migProfile() != null && java.util.Arrays.stream(MigProfile.values()).noneMatch(m -> m.id().equals(needs.migProfile())))
                throw new ConfigException(path + ".migProfile", "unknown MIG profile '" + needs.migProfile() + "' (known: "
                        + java.util.Arrays.stream(MigProfile.values()).map(MigProfile::id).distinct().toList() + ")");
            // a replica must fit one node of its pool, or no placement can ever hold it and every request times out
            PoolShape shape = pools.get(pool);
            // a replica that reserves nothing packs without limit once its pool shares: under time slicing (memory alone
            // bounds it) every replica of a model with no gpuMemory went onto one GPU at a billing share of 0, and its
            // nodes' whole bill went to "spare"; on a CPU pool cpuCores: 0 did the same
            if (shape.isGpu() && needs.gpuMemoryBytes() == 0)
                throw new ConfigException(path + ".gpuMemory", "missing or 0: a model on GPU pool " + pool + " must say the GPU memory a replica takes (e.g. 16GB)");
            if (!shape.isGpu() && !(needs.cpuCores() > 0))
                throw new ConfigException(path + ".cpuCores", "must be > 0 for a model on CPU pool " + pool + " (it is what packs its replicas onto nodes)");
            // a profile of another GPU (1g.18gb of the H200 on an 80 GB pool) failed mid-run under --sharing mig or --recommend
            if (needs.migProfile() != null && shape.supports(SharingMode.MIG)
                    && MigProfile.forGpuMemory(shape.gpuMemoryBytes()).stream().noneMatch(m -> m.id().equals(needs.migProfile())))
                throw new ConfigException(path + ".migProfile", "'" + needs.migProfile() + "' is not a MIG profile of pool " + pool + "'s "
                        + size(shape.gpuMemoryBytes()) + " GPU (its profiles: " + MigProfile.forGpuMemory(shape.gpuMemoryBytes()).stream().map(MigProfile::id).toList() + ")");
            if (shape.isGpu() && needs.gpuMemoryBytes() > shape.gpuMemoryBytes())
                throw new ConfigException(path + ".gpuMemory", size(needs.gpuMemoryBytes()) + " exceeds pool " + pool + " (" + size(shape.gpuMemoryBytes()) + " per GPU)");
            // (on a GPU pool placement goes by GPU memory and compute; on a CPU pool by cores)
            if (!shape.isGpu() && needs.cpuCores() > shape.cpuCores())
                throw new ConfigException(path + ".cpuCores", needs.cpuCores() + " exceeds pool " + pool + " (" + shape.cpuCores() + " per node)");
            PriorityClass prio;
            try {
                prio = PriorityClass.parse(n.path("priority").asText("normal"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path + ".priority", e.getMessage());
            }
            return new ModelSpec(id, pool, needs, Map.of(pool, lp), integer(n, "maxBatch", path, 1),
                    duration(n, "maxQueueDelay", path, Duration.ZERO), integer(n, "queueCapacity", path, 10_000),
                    duration(n, "timeout", path, Duration.ofMinutes(5)), s, prio, duration(n, "loadTime", path, Duration.ZERO),
                    integer(n, "minReplicas", path, 0), integer(n, "maxReplicas", path, 10_000));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw atField(path, e.getMessage());
        }
    }

    private static final java.util.regex.Pattern FIELD_RULE = java.util.regex.Pattern.compile("(?:[^:]+: )?(?:needs\\.|slo\\.)?([A-Za-z]+) (must .*)");

    /**
     * A value the spec's or pool's own check refused ("maxBatch must be >= 1", "l4: gpusPerNode must be >= 0",
     * "needs.gpuComputeShare must be in [0, 1]"), said at its field as every other catalog error is:
     * {@code models[0].maxBatch: must be >= 1}, not {@code models[0]: maxBatch must be >= 1}.
     */
    private static ConfigException atField(String path, String message) {
        var m = FIELD_RULE.matcher(message);
        return m.matches() ? new ConfigException(path + "." + m.group(1), m.group(2)) : new ConfigException(path, message);
    }

    private static boolean present(JsonNode n) {
        return !n.isMissingNode() && !n.isNull();
    }

    private static ObjectNode merge(ObjectNode base, ObjectNode over) {
        ObjectNode out = base.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isObject() && out.path(e.getKey()).isObject())
                out.set(e.getKey(), merge((ObjectNode) out.get(e.getKey()), (ObjectNode) e.getValue()));
            else out.set(e.getKey(), e.getValue());
        }
        return out;
    }

    private static void checkKeys(JsonNode n, Set<String> allowed, String path) {
        if (!n.isObject()) throw new ConfigException(path, "must be a mapping");
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            // the file's own keys read "file.yaml: extra", nested ones "file.yaml: models[0].extra"
            if (!allowed.contains(k)) throw new ConfigException(path + (path.endsWith(":") ? " " : ".") + k, io.prescale.core.config.DidYouMean.unknownKey(k, List.copyOf(new java.util.TreeSet<>(allowed))));
        }
    }

    private static String text(JsonNode n, String key, String path) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull() || v.asText().isBlank()) throw new ConfigException(path + "." + key, "missing");
        return v.asText();
    }

    private static double number(JsonNode n, String key, String path, Double dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (dflt == null) throw new ConfigException(path + "." + key, "missing");
            return dflt;
        }
        if (!v.isNumber()) throw new ConfigException(path + "." + key, "not a number: '" + v.asText() + "'");
        return v.asDouble();
    }

    private static int integer(JsonNode n, String key, String path, int dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.canConvertToInt() || !v.isIntegralNumber()) throw new ConfigException(path + "." + key, "not an integer: '" + v.asText() + "'");
        return v.asInt();
    }

    private static Duration duration(JsonNode n, String key, String path, Duration dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (dflt == null) throw new ConfigException(path + "." + key, "missing");
            return dflt;
        }
        try {
            // a bare number was taken as seconds: "base: 50" meant for 50 ms ran a 50 s model, as the flags refuse; quoted
            // ("base: '50'") it is still a bare number
            String text = v.asText().trim();
            if ((v.isNumber() || v.isTextual()) && Durations.hasNoUnit(text))
                throw new ConfigException(path + "." + key, "'" + text + "' has no unit: write " + text + "ms or " + text + "s");
            if (!v.isValueNode()) throw new ConfigException(path + "." + key, "want a duration such as 250ms or 20s, got " + v);
            Duration d = v.isNumber() ? Duration.ZERO : Durations.parse(text);
            if (d.isNegative()) throw new ConfigException(path + "." + key, "must not be negative");
            return d;
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + "." + key, e.getMessage());
        }
    }

    private static double seconds(JsonNode n, String key, String path) {
        return duration(n, key, path, null).toNanos() / 1e9;
    }

    private static double secondsOr0(JsonNode n, String key, String path) {
        return duration(n, key, path, Duration.ZERO).toNanos() / 1e9;
    }

    /**
     * "80GB", "24 GiB", "512MB", or 0. A bare number was taken as bytes: "gpuMemory: 16" meant for 16 GB reserved 16
     * bytes, so under time slicing (memory alone bounds a GPU) billions of replicas fitted one GPU, each billed
     * nothing; "1.5" was cut to 1 byte. As a bare duration is, it is refused with the unit to write.
     */
    static long bytes(JsonNode n, String key, String path, long dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return dflt;
        if (v.isNumber()) {
            if (v.asDouble() == 0) return 0;
            String t = v.asText();
            throw new ConfigException(path + "." + key, "'" + t + "' has no unit: write " + t + "GB or " + t + "GiB");
        }
        var m = java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)").matcher(v.asText().trim());
        if (!m.matches()) throw new ConfigException(path + "." + key, "not a size: '" + v.asText() + "' (e.g. 24GB, 16GiB)");
        double x = Double.parseDouble(m.group(1));
        long mult = switch (m.group(2)) {
            case "B" -> 1L;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            default -> 1L << 40;
        };
        // past a long it was cut to 9223372036.9GB, which an error then quoted as if it had been written
        if (!(x * mult < 1e18)) throw new ConfigException(path + "." + key, "'" + v.asText() + "' is out of range (at most 1000000TB)");
        return Math.round(x * mult);
    }

}
