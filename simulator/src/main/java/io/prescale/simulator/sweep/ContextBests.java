package io.prescale.simulator.sweep;

import io.prescale.core.text.Percent;
import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.sweep.ExperimentSpec.Objective;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Each policy at its best in each context: the scenario with the least objective figure among those of the
 * policy that meet the SLO target there with the invariants holding. The winner must hold in every context,
 * so it does not say how tuned families compare under one cluster setting (a packer, consolidation); this
 * does, with every family given the same setting.
 *
 * @param label  the context's axes as in the scenario labels ({@code [packer=load-aware, consolidate=true]}),
 *               empty when the sweep has one context
 * @param bests  cheapest first
 * @param missed policies none of whose configurations met the target in this context
 */
public record ContextBests(int context, String label, List<Best> bests, List<String> missed) {

    /** {@code liveProblem}: why the live runner would refuse this configuration although it needs no future, or null. */
    public record Best(String policy, String scenario, double value, double sloAttainment, boolean needsFuture, String liveProblem) {
        /** Whether the live runner can run it. */
        public boolean deployable() {
            return !needsFuture && liveProblem == null;
        }
    }

    public static List<ContextBests> of(Objective objective, List<ScenarioResult> results) {
        Map<Object, List<ScenarioResult>> byContext = SweepReport.byContext(results);
        List<ContextBests> out = new ArrayList<>();
        int index = 0;
        for (List<ScenarioResult> rs : byContext.values()) {
            Map<String, Best> best = new LinkedHashMap<>();
            Set<String> policies = new LinkedHashSet<>();
            for (ScenarioResult r : rs) {
                String policy = r.scenario().policy();
                policies.add(policy);
                var t = r.result().totals();
                if (!objective.meets(t) || !r.result().invariants().hold()) continue;
                double v = objective.minimize().of(t);
                Best b = best.get(policy);
                if (b == null || v < b.value())
                    best.put(policy, new Best(policy, r.scenario().arm(), v, t.sloAttainment(), PolicyCatalog.needsOracle(policy),
                            Winner.liveProblem(policy, r.result().params())));
            }
            List<Best> sorted = new ArrayList<>(best.values());
            sorted.sort(Comparator.comparingDouble(Best::value));
            List<String> missed = new ArrayList<>(policies);
            missed.removeAll(best.keySet());
            String label = rs.get(0).scenario().label().substring(rs.get(0).scenario().arm().length()).trim();
            out.add(new ContextBests(index++, label, sorted, missed));
        }
        return out;
    }

    /** The cheapest configuration that can run live (no future knowledge), or null. */
    public Best bestDeployable() {
        for (Best b : bests) if (b.deployable()) return b;
        return null;
    }

    /** {@code b}'s figure relative to the best deployable one: +48.2 means 48.2 % more. NaN when there is none. */
    public double percentOverBest(Best b) {
        Best top = bestDeployable();
        return top == null || top.value() == 0 ? Double.NaN : 100 * (b.value() / top.value() - 1);
    }

    /** {@code b} against the best deployable configuration, for tables: "+48.2 %", "needs the future", or empty for the best itself. */
    public String relative(Best b) {
        double over = percentOverBest(b);
        return b.needsFuture() ? "needs the future" : b.liveProblem() != null ? "cannot run live: " + b.liveProblem()
                : Double.isNaN(over) || over == 0 ? "" : String.format(Locale.ROOT, "%+.1f %%", over);
    }

    public static void print(PrintStream out, Objective objective, List<ContextBests> all) {
        out.printf(Locale.ROOT, "Each policy at its best per context (SLO attainment >= %s %%%s, least %s):%n", ExperimentSpec.percent(objective.sloTarget()),
                objective.margin(), objective.minimize().label);
        int w = all.stream().flatMap(c -> c.bests().stream()).mapToInt(b -> b.scenario().length()).max().orElse(8);
        for (ContextBests c : all) {
            if (!c.label().isEmpty()) out.println("  " + c.label());
            for (Best b : c.bests())
                out.printf(Locale.ROOT, "    %-" + w + "s %12.2f %8s%%  %s%n", b.scenario(), b.value(), Percent.of(b.sloAttainment(), 2), c.relative(b));
            if (!c.missed().isEmpty()) out.println("    below the target in every configuration: " + String.join(", ", c.missed()));
        }
    }

    public Map<String, Object> json(Objective objective) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("context", context);
        m.put("label", label);
        List<Map<String, Object>> bs = new ArrayList<>();
        for (Best b : bests) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("policy", b.policy());
            x.put("scenario", b.scenario());
            x.put(objective.minimize().name(), b.value());
            x.put("sloAttainment", b.sloAttainment());
            x.put("needsFuture", b.needsFuture());
            x.put("runsLive", b.deployable());
            double over = percentOverBest(b);
            x.put("percentOverBestDeployable", Double.isNaN(over) ? null : Math.round(over * 10) / 10.0);
            bs.add(x);
        }
        m.put("best", bs);
        m.put("missed", missed);
        return m;
    }
}
