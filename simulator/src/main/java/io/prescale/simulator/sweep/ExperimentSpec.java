package io.prescale.simulator.sweep;

import java.util.List;
import java.util.Map;

/**
 * A sweep experiment as read from YAML (schema {@code prescale.experiment/v1}). Every list-valued field
 * is one axis of the sweep: scenarios are the cartesian product of traces × windows × catalogs ×
 * sharing modes × packers × consolidation × rate scales × seeds × (each policy × the product of its param lists). Each value
 * keeps the path it came from ({@code policies[2].params.quantile[1]}) so later errors can name it.
 */
public record ExperimentSpec(String name, String description, Objective objective, List<At<String>> traces,
                             List<Window> windows, List<At<String>> catalogs, List<At<String>> sharing,
                             List<At<String>> packers, List<At<Boolean>> consolidate, List<At<Double>> rateScales, List<At<Long>> seeds, List<PolicySweep> policies,
                             boolean skipBadRows, String reportInterval) {

    public static final String SCHEMA = "prescale.experiment/v1";

    public ExperimentSpec {
        traces = List.copyOf(traces);
        windows = List.copyOf(windows);
        catalogs = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(catalogs));
        sharing = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(sharing));
        packers = List.copyOf(packers);
        consolidate = List.copyOf(consolidate);
        rateScales = List.copyOf(rateScales);
        seeds = List.copyOf(seeds);
        policies = List.copyOf(policies);
    }

    /** A value and the spec path it was read from. */
    public record At<T>(T value, String path) {}

    /** The scored window; either end may be null (trace start, trace end). */
    public record Window(At<String> from, At<String> to) {
        String label() {
            return (from.value() == null ? "start" : from.value()) + ".." + (to.value() == null ? "end" : to.value());
        }
    }

    /** One entry of {@code policies}: its id and, per param, the values to try (one value = fixed). */
    public record PolicySweep(At<String> id, Map<String, List<At<Object>>> params, String path) {}

    /** What the sweep minimises among the scenarios that meet the SLO target. */
    public record Objective(Metric minimize, double sloTarget) {
        /** For people and for winner.yaml, e.g. "least GPU-hours with SLO attainment >= 0.99". */
        public String text() {
            return "least " + minimize.label + " with SLO attainment >= " + trim(sloTarget);
        }
    }

    /** The figure to minimise: the field names of summary.json. */
    public enum Metric {
        gpuHours("GPU-hours"), costUsd("cost (USD)");

        public final String label;

        Metric(String label) {
            this.label = label;
        }

        public double of(io.prescale.simulator.metrics.RunResult.Totals t) {
            return this == gpuHours ? t.gpuHours() : t.costUsd();
        }
    }

    static String trim(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
