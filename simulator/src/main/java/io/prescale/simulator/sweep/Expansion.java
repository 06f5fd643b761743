package io.prescale.simulator.sweep;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.ParamBinder;
import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.sweep.ExperimentSpec.At;
import io.prescale.simulator.sweep.ExperimentSpec.PolicySweep;
import io.prescale.simulator.sweep.ExperimentSpec.Window;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expands an experiment into its scenarios: contexts (traces × windows × catalogs × sharing × packers × consolidation
 * × rate scales × seeds, the last varying fastest) outside, then each policy entry in spec order with the
 * cartesian product of its param lists (the last param varying fastest). Every combination is
 * validated against the policy's params, and labels are checked to be unique.
 */
public final class Expansion {
    private Expansion() {}

    /** The most scenarios one experiment may expand to: each is a whole simulation, and the list itself takes memory. */
    public static final long MAX_SCENARIOS = 20_000;

    /** The number of scenarios {@code spec} expands to, counted before anything is built. */
    public static long count(ExperimentSpec spec) {
        long contexts = 1;
        for (int n : new int[]{spec.traces().size(), spec.windows().size(), spec.catalogs().size(), spec.sharing().size(),
                spec.packers().size(), spec.consolidate().size(), spec.rateScales().size(), spec.seeds().size()})
            contexts = saturatingTimes(contexts, n);
        long arms = 0;
        for (PolicySweep p : spec.policies()) {
            long combos = 1;
            for (List<At<Object>> values : p.params().values()) combos = saturatingTimes(combos, values.size());
            arms = Math.min(Long.MAX_VALUE / 2, arms + combos);
        }
        return saturatingTimes(contexts, arms);
    }

    private static long saturatingTimes(long a, long b) {
        long r = a * b;
        return (a != 0 && (r / a != b || r < 0)) ? Long.MAX_VALUE : r;
    }

    public static List<Scenario> scenarios(ExperimentSpec spec) {
        long n = count(spec);
        if (n > MAX_SCENARIOS)
            throw new ConfigException("experiment", "expands to " + (n == Long.MAX_VALUE ? "more than 9e18" : String.format(java.util.Locale.ROOT, "%,d", n))
                    + " scenarios; at most " + String.format(java.util.Locale.ROOT, "%,d", MAX_SCENARIOS) + " (split it, or shorten its lists)");
        // a list that repeats a value ran every scenario of it twice, or failed as "duplicate scenario ... (a list repeats
        // a value)" without naming the list: the repeat is named by its path
        requireDistinct(spec.traces());
        List<At<Object>> windows = new ArrayList<>();
        for (Window w : spec.windows())
            windows.add(new At<>(w.label(), w.from().path().endsWith(".from") ? w.from().path().substring(0, w.from().path().length() - 5) : "from/to"));
        requireDistinct(windows);
        requireDistinct(spec.catalogs());
        requireDistinct(spec.sharing());
        requireDistinct(spec.packers());
        requireDistinct(spec.consolidate());
        requireDistinct(spec.rateScales());
        requireDistinct(spec.seeds());
        for (PolicySweep p : spec.policies()) for (List<At<Object>> values : p.params().values()) requireDistinct(values);
        List<Scenario.Context> contexts = new ArrayList<>();
        for (At<String> t : spec.traces())
            for (Window w : spec.windows())
                for (At<String> c : spec.catalogs())
                    for (At<String> s : spec.sharing())
                        for (At<String> pk : spec.packers())
                            for (At<Boolean> cons : spec.consolidate())
                                for (At<Double> r : spec.rateScales())
                                    for (At<Long> seed : spec.seeds())
                                        contexts.add(new Scenario.Context(t, w, c, s, pk, cons, r, seed));
        Scenario.Axes axes = new Scenario.Axes(spec.traces().size() > 1, spec.windows().size() > 1, spec.catalogs().size() > 1,
                spec.sharing().size() > 1, spec.packers().size() > 1, spec.consolidate().size() > 1, spec.rateScales().size() > 1, spec.seeds().size() > 1,
                spec.catalogs().stream().map(At::value).toList());

        List<Arm> arms = new ArrayList<>();
        for (PolicySweep p : spec.policies()) arms.addAll(arms(p));
        Map<String, String> seenArms = new HashMap<>();
        Map<List<Object>, Arm> seenConfigurations = new HashMap<>();
        for (Arm a : arms) {
            String before = seenArms.putIfAbsent(a.label, a.path);
            if (before != null) throw new ConfigException(a.path, "duplicate scenario " + a.label + " (also from " + before + ")");
            // reactive.hpa and reactive.hpa{minReplicas=1} (its default), or syncPeriod 15s and 0.25m: one configuration twice
            Arm same = seenConfigurations.putIfAbsent(List.of(a.policy, a.merged), a);
            if (same != null)
                throw new ConfigException(a.path, a.label + " is the same configuration as " + same.label + " (" + same.path
                        + ") once its defaults are filled in: every scenario of it would run twice");
        }

        List<Scenario> out = new ArrayList<>();
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (Scenario.Context c : contexts) {
            String suffix = axes.any() ? " [" + c.label(axes) + "]" : "";
            for (Arm a : arms) {
                Scenario s = new Scenario(out.size(), a.label + suffix, a.label, c, a.policy, a.params, a.path);
                if (!labels.add(s.label())) throw new ConfigException("experiment", "duplicate scenario " + s.label() + " (a list repeats a value)");
                out.add(s);
            }
        }
        return out;
    }

    /** A policy with one combination of its params; {@code merged}: over its defaults, as the run uses them. */
    private record Arm(String label, String policy, Map<String, Object> params, String path, Map<String, Object> merged) {}

    /** Throws a ConfigException naming the second of two equal values of one list (a scalar list has one). */
    private static <T> void requireDistinct(List<At<T>> values) {
        Map<Object, String> seen = new HashMap<>();
        for (At<T> v : values) {
            String before = seen.putIfAbsent(v.value() == null ? "" : v.value(), v.path());
            if (before != null)
                throw new ConfigException(v.path(), "repeats " + before + " (" + (v.value() instanceof Double d ? ExperimentSpec.trim(d) : v.value())
                        + "): every scenario of it would run twice");
        }
    }

    private static List<Arm> arms(PolicySweep p) {
        List<Map<String, At<Object>>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<At<Object>>> e : p.params().entrySet()) {
            List<Map<String, At<Object>>> next = new ArrayList<>();
            for (Map<String, At<Object>> c : combos)
                for (At<Object> v : e.getValue()) {
                    Map<String, At<Object>> m = new LinkedHashMap<>(c);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            combos = next;
        }
        String id = p.id().value();
        List<Arm> out = new ArrayList<>();
        for (Map<String, At<Object>> c : combos) {
            Map<String, Object> dotted = new LinkedHashMap<>();
            c.forEach((k, v) -> dotted.put(k, v.value()));
            String label = label(id, dotted);
            Map<String, Object> params = ParamBinder.nest(dotted);
            Map<String, Object> merged;
            try {
                merged = PolicyCatalog.defaultsMerged(id, params); // cross-field checks of the whole combination
            } catch (ConfigException e) {
                throw new ConfigException(p.path() + ".params", label + ": " + e.getMessage());
            }
            out.add(new Arm(label, id, params, p.path(), merged));
        }
        return out;
    }

    /** {@code id{k=v,...}} over the params the spec sets, in spec order; just {@code id} when it sets none. */
    static String label(String id, Map<String, Object> params) {
        if (params.isEmpty()) return id;
        StringBuilder b = new StringBuilder(id).append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : params.entrySet()) {
            if (!first) b.append(',');
            first = false;
            b.append(e.getKey()).append('=').append(format(e.getValue()));
        }
        return b.append('}').toString();
    }

    private static String format(Object v) {
        if (v instanceof Double d) return ExperimentSpec.trim(d);
        if (v instanceof Float f) return ExperimentSpec.trim(f);
        return String.valueOf(v);
    }
}
