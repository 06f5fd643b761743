package io.prescale.simulator.engine;

import io.prescale.core.forecast.Forecaster;
import io.prescale.core.loop.DemandAggregator;
import io.prescale.forecasting.TimeGrid;
import io.prescale.simulator.workload.Workload;
import io.prescale.simulator.workload.WorkloadOracle;



/**
 * Feeds the trace before {@code --from} to the forecaster, bucket by bucket, so predictive policies start
 * with what an operator would have: the past, never the scored future. A bucket a gap overlaps is handed over as
 * NaN, as a control tick's interval is ({@link MaskedWindows#within}): its count is partial, not lower demand.
 *
 * <p>The buckets are the forecaster's own, on the grid the run's ticks are counted on ({@link DemandAggregator}: whole
 * intervals of the clock), not intervals from the trace's start, which for a request trace (it starts at its first
 * request) lie off that grid. The bucket the run starts in is completed by the run's ticks: the part of it before the
 * start goes to the run's {@link DemandAggregator} ({@link #openBucket}), so it is not handed over as the ticks' part
 * alone, less demand than there was.
 */
final class History {
    private History() {}

    static void feed(Workload w, Forecaster f, double from, double rateScale) {
        if (from <= 0 || f.id().equals("none")) return;
        TimeGrid grid = new TimeGrid(f.interval());
        WorkloadOracle all = new WorkloadOracle(w, Double.NEGATIVE_INFINITY, from, rateScale);
        MaskedWindows masked = new MaskedWindows(w);
        // whole buckets only: from the first that starts at or after the trace's start (one that began before it has
        // no data for its first part) to the one `from` falls in, which the run completes
        long first = grid.index(w.origin()) + (grid.start(grid.index(w.origin())).equals(w.origin()) ? 0 : 1);
        long end = grid.index(w.at(from));
        for (int i = 0; i < w.models().size(); i++) {
            String m = w.models().get(i);
            for (long k = first; k < end; k++) {
                double a = w.seconds(grid.start(k)), b = w.seconds(grid.start(k + 1));
                double v = masked.within(i, a, b) ? Double.NaN : all.expected(m, a, b);
                f.observe(m, grid.start(k), v);
            }
        }
    }

    /**
     * Opens {@code demand}'s bucket that {@code start}, the run's first tick, falls in with the arrivals in it before
     * that tick: the trace's, over the whole ticks of {@code tick} seconds that fit between the bucket's start and
     * {@code start} (the run's ticks count into a bucket by the tick's start, so the bucket holds a bucket's time of
     * ticks), masked where that time has a gap or lies before the trace's start. Nothing when {@code start} is on the
     * grid.
     */
    static void openBucket(Workload w, Forecaster f, DemandAggregator demand, double start, double tick, double rateScale) {
        if (f.id().equals("none")) return;
        TimeGrid grid = new TimeGrid(f.interval());
        double bucketStart = w.seconds(grid.start(grid.index(w.at(start))));
        if (!(bucketStart < start) || !(tick > 0)) return;
        long ticks = (long) Math.floor((start - bucketStart) / tick + 1e-9);
        if (ticks == 0) return;
        double lo = start - ticks * tick;
        WorkloadOracle all = new WorkloadOracle(w, Double.NEGATIVE_INFINITY, start, rateScale);
        MaskedWindows masked = new MaskedWindows(w);
        for (int i = 0; i < w.models().size(); i++) {
            String m = w.models().get(i);
            boolean gap = lo < 0 || masked.within(i, lo, start);
            demand.add(m, w.at(lo), w.at(start), gap ? 0 : all.expected(m, lo, start), gap);
        }
    }
}
