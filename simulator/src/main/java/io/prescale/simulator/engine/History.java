package io.prescale.simulator.engine;

import io.prescale.core.forecast.Forecaster;
import io.prescale.simulator.workload.Workload;
import io.prescale.simulator.workload.WorkloadOracle;


/**
 * Feeds the trace before {@code --from} to the forecaster, bucket by bucket, so predictive policies start
 * with what an operator would have: the past, never the scored future. A bucket a gap overlaps is handed over as
 * NaN, as a control tick's interval is ({@link MaskedWindows#within}): its count is partial, not lower demand.
 */
final class History {
    private History() {}

    static void feed(Workload w, Forecaster f, double from, double rateScale) {
        if (from <= 0 || f.id().equals("none")) return;
        double bucket = f.interval().toNanos() / 1e9;
        WorkloadOracle all = new WorkloadOracle(w, Double.NEGATIVE_INFINITY, from, rateScale);
        MaskedWindows masked = new MaskedWindows(w);
        double start = 0;
        for (int i = 0; i < w.models().size(); i++) {
            String m = w.models().get(i);
            for (double t = start; t + bucket <= from + 1e-9; t += bucket) {
                double v = masked.within(i, t, t + bucket) ? Double.NaN : all.expected(m, t, t + bucket);
                f.observe(m, w.at(t), v);
            }
        }
    }
}
