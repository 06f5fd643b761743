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
                             boolean skipBadRows, String reportInterval, String warmup) {

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

    /**
     * What the sweep minimises among the scenarios that meet the SLO target.
     *
     * @param confidence 0: a configuration meets the target when its measured SLO attainment does; 0.9, 0.95 or
     *                   0.99: when the one-sided Wilson lower bound of its attainment at that confidence does (the
     *                   attainment is a fraction of the run's requests, so a short window earns a wider margin)
     */
    public record Objective(Metric minimize, double sloTarget, double confidence) {
        /** One-sided standard normal quantiles for the confidences offered. */
        private static final Map<Double, Double> Z = Map.of(0.9, 1.2815516, 0.95, 1.6448536, 0.99, 2.3263479);

        public Objective {
            if (confidence != 0 && !Z.containsKey(confidence))
                throw new IllegalArgumentException("confidence must be 0 (off), 0.9, 0.95 or 0.99, not " + confidence);
        }

        public Objective(Metric minimize, double sloTarget) {
            this(minimize, sloTarget, 0);
        }

        /**
         * For people and for winner.yaml, e.g. "least GPU-hours with SLO attainment >= 99 %": a percentage, as every
         * attainment beside it is written (it read ">= 0.99" in a line that went on "at 100.00 % SLO attainment").
         */
        public String text() {
            return "least " + minimize.label + " with SLO attainment >= " + percent(sloTarget) + " %" + margin();
        }

        /** " at 95 % confidence", or empty when the measured attainment itself is compared. */
        public String margin() {
            return confidence == 0 ? "" : " at " + percent(confidence) + " % confidence";
        }

        /** Whether a run's SLO attainment meets the target (with the margin the confidence asks for). */
        public boolean meets(io.prescale.simulator.metrics.RunResult.Totals t) {
            return lowerBound(t.sloAttainment(), t.requests()) >= sloTarget;
        }

        /** The attainment itself when the confidence is 0, else its Wilson score lower bound over {@code n} requests. */
        public double lowerBound(double attainment, long n) {
            if (confidence == 0 || n <= 0 || Double.isNaN(attainment)) return attainment;
            double z = Z.get(confidence), z2 = z * z;
            double centre = attainment + z2 / (2.0 * n);
            double spread = z * Math.sqrt(attainment * (1 - attainment) / n + z2 / (4.0 * n * n));
            return (centre - spread) / (1 + z2 / n);
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

    /** A fraction as a percentage in the decimals it was written with: 0.99 is "99", 0.995 "99.5", 0.57 "57" (100 * 0.57 is 56.99999999999999). */
    static String percent(double fraction) {
        return new java.math.BigDecimal(Double.toString(fraction)).movePointRight(2).stripTrailingZeros().toPlainString();
    }

    static String trim(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
