package io.prescale.simulator.engine;

import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.resource.PoolShape;
import io.prescale.simulator.cluster.ClusterOptions;
import io.prescale.simulator.workload.Workload;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything one policy run needs besides the policy: the workload, the scored window [from, to) in
 * seconds since the workload origin, the forecaster each policy gets (by policy id), the resolved model specs (one per workload model, same order),
 * the pools, the rate scale, the seed, how often a time-series row is written, and how many threads
 * may stream one run's models in parallel (1 = sequential), the cluster options (packing, consolidation, admission), and how long before
 * {@code from} the cluster runs unscored so the scored window starts from a settled system.
 */
public record SimulationSetup(Workload workload, double from, double to, List<ModelSpec> models,
                              Map<String, PoolShape> pools, double rateScale, long seed, Duration reportInterval,
                              CostModel costModel, Function<String, Forecaster> forecasters, double replicaMtbfHours,
                              int modelThreads, ClusterOptions cluster, double warmupSeconds) {

    /** With first-fit packing, no consolidation and no warm-up. */
    public SimulationSetup(Workload workload, double from, double to, List<ModelSpec> models, Map<String, PoolShape> pools,
                           double rateScale, long seed, Duration reportInterval, CostModel costModel,
                           Function<String, Forecaster> forecasters, double replicaMtbfHours, int modelThreads) {
        this(workload, from, to, models, pools, rateScale, seed, reportInterval, costModel, forecasters, replicaMtbfHours,
                modelThreads, ClusterOptions.DEFAULT, 0);
    }

    /** The same run on other models, pools or prices (what a recommendation changes). */
    public SimulationSetup with(List<ModelSpec> newModels, Map<String, PoolShape> newPools, CostModel newCostModel) {
        return new SimulationSetup(workload, from, to, newModels, newPools, rateScale, seed, reportInterval, newCostModel,
                forecasters, replicaMtbfHours, modelThreads, cluster, warmupSeconds);
    }

    /**
     * A window of a per-interval trace whose arrivals come closer together than a double resolves at that time of the
     * trace (1e300 requests in a minute, or a huge --rate-scale) never advanced the simulation's clock: each drawn gap
     * added nothing and the run hung at 0 % without a word. Refused before the run, naming the model and the window.
     */
    private static void requireArrivalsTheClockResolves(Workload w, double from, double to, double rateScale) {
        if (!w.perInterval()) return;
        for (int m = 0; m < w.models().size(); m++) {
            Workload.IntervalSeries s = w.intervals(m);
            for (int i = 0; i < s.size(); i++) {
                double end = s.start()[i] + s.length()[i];
                if (s.gap()[i] || !(s.rate()[i] > 0) || end <= from || s.start()[i] >= to) continue;
                double rate = s.rate()[i] * Math.max(1, rateScale); // the process the arrivals are drawn from (RenewalGaps)
                if (!(end + 1 / rate > end))
                    throw new IllegalArgumentException("model '" + w.models().get(m) + "': the window at " + w.at(s.start()[i]) + " holds "
                            + String.format(java.util.Locale.ROOT, "%.3g", s.rate()[i] * s.length()[i]) + " requests in " + io.prescale.core.config.Durations.format(Duration.between(w.at(s.start()[i]), w.at(end)))
                            + (rateScale > 1 ? " (x" + rateScale + " --rate-scale)" : "")
                            + ": arrivals closer together than the simulator's clock resolves there; check the trace's counts"
                            + (rateScale > 1 ? " or lower --rate-scale" : ""));
            }
        }
    }

    /** The same run with other cluster options (a recommendation that moves a model onto spot capacity). */
    public SimulationSetup withCluster(ClusterOptions newCluster) {
        return new SimulationSetup(workload, from, to, models, pools, rateScale, seed, reportInterval, costModel,
                forecasters, replicaMtbfHours, modelThreads, newCluster, warmupSeconds);
    }

    /** Where the simulation starts: the warm-up before {@code from}, never before the trace. */
    public double simulatedFrom() {
        return Math.max(0, from - warmupSeconds);
    }

    public SimulationSetup {
        if (!(to > from)) throw new IllegalArgumentException("--to must be after --from");
        if (models.size() != workload.models().size()) throw new IllegalArgumentException("one spec per workload model");
        if (!(rateScale > 0 && Double.isFinite(rateScale))) throw new IllegalArgumentException("--rate-scale must be a finite number > 0, got " + rateScale);
        if (!(warmupSeconds >= 0)) throw new IllegalArgumentException("--warmup must be >= 0");
        if (!(replicaMtbfHours >= 0))
            throw new IllegalArgumentException("--replica-mtbf must be >= 0 hours (0: no failures), got " + replicaMtbfHours);
        requireArrivalsTheClockResolves(workload, Math.max(0, from - warmupSeconds), to, rateScale);
        models = List.copyOf(models);
        pools = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pools));
    }
}
