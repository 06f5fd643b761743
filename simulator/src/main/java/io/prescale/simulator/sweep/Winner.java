package io.prescale.simulator.sweep;

import io.prescale.core.text.Percent;
import io.prescale.core.config.PolicyFile;
import io.prescale.policies.PolicyCatalog;
import io.prescale.core.text.Plural;
import io.prescale.simulator.sweep.ExperimentSpec.Objective;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the winning policy configuration by the objective: among the arms (policy + params) that meet
 * the SLO target in every context of the sweep, with the run invariants holding, the one with the least
 * total objective figure (summed over contexts). Policies that need the future ({@code oracle},
 * {@code static.peak}) are shown but cannot win: the live runner cannot run them; nor can a configuration that ticks
 * faster than the live runner does ({@code syncPeriod: 500ms}): its winner.yaml would be refused there. Neither can an arm that saw no
 * request: its 100 % SLO attainment is vacuous, and the cheapest policy would win on it. Ties go to the higher
 * worst-case SLO attainment, then to spec order.
 */
public record Winner(Arm arm, List<Arm> eligible, List<Arm> all, Objective objective) {

    /**
     * One policy configuration over every context it ran in; {@code meetsTarget}: in every context, by the objective;
     * {@code liveProblem}: why the live runner would refuse it although it needs no future (null: it would run it).
     */
    public record Arm(String label, String policy, Map<String, Object> params, double total, double worstSlo,
                      boolean needsFuture, boolean invariantsHold, boolean meetsTarget, int firstIndex, long requests, String liveProblem,
                      int contexts) {
        boolean meets() {
            return invariantsHold && meetsTarget && requests > 0;
        }

        /** Whether the live runner can run it: it needs no future and ticks no faster than the runner does. */
        boolean runsLive() {
            return !needsFuture && liveProblem == null;
        }
    }

    /** Builds policies only to read their control interval: nothing here is ever asked to decide. */
    private static final io.prescale.core.policy.PolicyContext PROBE = new io.prescale.core.policy.PolicyContext(
            java.time.InstantSource.fixed(java.time.Instant.EPOCH), new java.util.SplittableRandom(1),
            io.prescale.core.forecast.Forecaster.none(), new io.prescale.core.cost.CostModel(Map.of(), 0), Optional.empty());

    /**
     * Why the live runner would refuse {@code policy} with {@code params} (merged over its defaults) although it needs no
     * future: it ticks faster than the runner does. Null when the runner would run it (or it needs the future: said apart).
     */
    public static String liveProblem(String policy, Map<String, Object> params) {
        if (PolicyCatalog.needsOracle(policy)) return null;
        java.time.Duration tick;
        try {
            tick = PolicyCatalog.create(policy, params, PROBE).controlInterval();
        } catch (RuntimeException e) {
            return null; // it was built for its run; what it is refused for live, the runner says
        }
        java.time.Duration floor = io.prescale.core.policy.Policy.MIN_LIVE_CONTROL_INTERVAL;
        return tick.compareTo(floor) < 0 ? "ticks every " + io.prescale.core.config.Durations.format(tick) + ", faster than the live runner's once every "
                + io.prescale.core.config.Durations.format(floor) : null;
    }

    /** The winner, or empty when no eligible arm meets the target. */
    public static Optional<Winner> pick(Objective objective, List<ScenarioResult> results) {
        List<Arm> all = arms(objective, results);
        List<Arm> eligible = new ArrayList<>();
        for (Arm a : all) if (a.runsLive() && a.meets()) eligible.add(a);
        eligible.sort(Comparator.comparingDouble(Arm::total).thenComparing(Comparator.comparingDouble(Arm::worstSlo).reversed())
                .thenComparingInt(Arm::firstIndex));
        if (eligible.isEmpty()) return Optional.empty();
        return Optional.of(new Winner(eligible.get(0), eligible, all, objective));
    }

    /** Arms in first-seen order, each aggregated over its contexts. */
    static List<Arm> arms(Objective objective, List<ScenarioResult> results) {
        Map<String, List<ScenarioResult>> byArm = new LinkedHashMap<>();
        for (ScenarioResult r : results) byArm.computeIfAbsent(r.scenario().arm(), k -> new ArrayList<>()).add(r);
        List<Arm> out = new ArrayList<>();
        for (Map.Entry<String, List<ScenarioResult>> e : byArm.entrySet()) {
            double total = 0, worst = Double.POSITIVE_INFINITY;
            boolean hold = true, meets = true;
            long requests = 0;
            ScenarioResult first = e.getValue().get(0);
            for (ScenarioResult r : e.getValue()) {
                total += objective.minimize().of(r.result().totals());
                worst = Math.min(worst, r.result().totals().sloAttainment());
                hold &= r.result().invariants().hold();
                meets &= objective.meets(r.result().totals());
                requests += r.result().totals().requests();
            }
            String policy = first.scenario().policy();
            out.add(new Arm(e.getKey(), policy, first.result().params(), total, worst, PolicyCatalog.needsOracle(policy), hold, meets,
                    first.scenario().index(), requests, liveProblem(policy, first.result().params()), e.getValue().size()));
        }
        return out;
    }

    /** Why this arm won, in one paragraph for the terminal and the report. */
    public String reason() {
        String unit = objective.minimize().label;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s has the %s: %s SLO attainment", arm.label(), objective.text(), figures(arm, unit)));
        b.append(String.format(Locale.ROOT, "; %d of %s %s eligible", eligible.size(), Plural.count(all.size(), "configuration", "configurations"),
                eligible.size() == 1 ? "was" : "were"));
        List<Arm> tied = eligible.stream().skip(1).filter(a -> a.total() == arm.total()).toList();
        if (!tied.isEmpty()) {
            // a tie read "runner-up X at the same figure (+0.0 %)", and nothing said how the winner was chosen
            List<Arm> alsoSlo = tied.stream().filter(a -> a.worstSlo() == arm.worstSlo()).toList();
            String names = String.join(", ", tied.stream().limit(3).map(Arm::label).toList()) + (tied.size() > 3 ? ", ..." : "");
            b.append(String.format(Locale.ROOT, "; tied on %s with %s: ", unit, names));
            b.append(alsoSlo.isEmpty() ? "won on its higher worst-case SLO attainment"
                    : "tied on worst-case SLO attainment too" + (alsoSlo.size() < tied.size() ? " with " + String.join(", ", alsoSlo.stream().limit(3).map(Arm::label).toList()) : "")
                    + ", so the first in the experiment's order wins");
            Arm next = eligible.stream().filter(a -> a.total() != arm.total()).findFirst().orElse(null);
            if (next != null) appendRunnerUp(b, next, unit);
        } else if (eligible.size() > 1) {
            appendRunnerUp(b, eligible.get(1), unit);
        }
        long missed = all.stream().filter(a -> a.runsLive() && !a.meets()).count();
        if (missed > 0) b.append(String.format(Locale.ROOT, "; %d missed the target", missed));
        for (Arm a : all) {
            if (!a.runsLive())
                b.append(String.format(Locale.ROOT, "; %s (%s, cannot win) used %s at %s", a.label(), whyNotLive(a), fmt(a.total(), unit), pct(a.worstSlo())));
        }
        return b.append('.').toString();
    }

    /** Why there is no winner: the best SLO attainment any eligible configuration reached. */
    public static String noWinnerReason(Objective objective, List<ScenarioResult> results) {
        Arm best = null;
        for (Arm a : arms(objective, results))
            if (a.runsLive() && (best == null || a.worstSlo() > best.worstSlo())) best = a;
        if (best == null) {
            List<Arm> all = arms(objective, results);
            if (all.stream().allMatch(Arm::needsFuture))
                return "no configuration can win: every policy in the sweep needs the future ("
                        + String.join(", ", new java.util.TreeSet<>(all.stream().map(Arm::label).toList())) + ")";
            return "no configuration can win: none can run live (" + String.join("; ", all.stream().map(a -> a.label() + ": " + whyNotLive(a)).toList()) + ")";
        }
        if (arms(objective, results).stream().allMatch(a -> a.requests() == 0))
            return "no configuration saw a request: the sweep's windows hold no arrivals (at its rate scale), so there is no SLO attainment to pick by";
        return String.format(Locale.ROOT, "no configuration met SLO attainment >= %s%s%s; the closest was %s at %s%s (%s)",
                pct(objective.sloTarget()), objective.margin(),
                best.invariantsHold() ? "" : " with the invariants holding", best.label(),
                pct(best.worstSlo()), best.contexts() > 1 ? " in its worst context" : "", fmt(best.total(), objective.minimize().label)
                        + (best.contexts() > 1 ? " in all " + best.contexts() + " together" : ""));
    }

    /**
     * The winner as the policy file the live runner loads; {@code forecaster} (null: the default) is what the sweep's
     * predictive policies ran with, written when the winner runs with it.
     */
    public PolicyFile policyFile(String experiment, String forecaster) {
        String text = objective.text() + String.format(Locale.ROOT, " (sweep %s: %s)", experiment, figures(arm, objective.minimize().label));
        return new PolicyFile(PolicyFile.SCHEMA, experiment, arm.policy(), arm.params(), text,
                io.prescale.forecasting.ForecasterChoice.appliesTo(arm.policy()) ? forecaster : null);
    }

    private void appendRunnerUp(StringBuilder b, Arm next, String unit) {
        b.append(String.format(Locale.ROOT, "; runner-up %s at %s", next.label(), fmt(next.total(), unit)));
        // (no percentage over a winner that used none: it read +0.0 %)
        if (arm.total() > 0) {
            double over = 100 * (next.total() - arm.total()) / arm.total();
            // a runner-up a hair dearer read "(+0.0 %)", as if tied: it is not, and the tie rule did not choose
            b.append(over < 0.05 ? " (less than 0.1 % more)" : String.format(Locale.ROOT, " (%+.1f %%)", over));
        }
    }

    /**
     * "24.000 GPU-hours at 100.00 %", or over several contexts "48.000 GPU-hours in all 2 contexts together, at worst 99.50 %":
     * the total is a sum and the attainment the worst, which read as one run's figures.
     */
    private static String figures(Arm a, String unit) {
        return a.contexts() > 1 ? String.format(Locale.ROOT, "%s in all %d contexts together, at worst %s", fmt(a.total(), unit), a.contexts(), pct(a.worstSlo()))
                : fmt(a.total(), unit) + " at " + pct(a.worstSlo());
    }

    private static String whyNotLive(Arm a) {
        return a.needsFuture() ? "needs the future" : a.liveProblem();
    }

    static String fmt(double v, String unit) {
        return String.format(Locale.ROOT, "%.3f %s", v, unit);
    }

    static String pct(double f) {
        return Percent.of(f, 2) + " %"; // cut, not rounded: 99.999 % is not 100.00 %
    }
}
