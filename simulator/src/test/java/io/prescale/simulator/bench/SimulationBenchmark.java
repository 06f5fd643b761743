package io.prescale.simulator.bench;

import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.resource.PoolShape;
import io.prescale.datasets.SyntheticTraceGenerator;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.engine.Simulation;
import io.prescale.simulator.engine.SimulationSetup;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.workload.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole simulation run: the synthetic generator's four models (seed 1) over 6 hours of 5-minute counts,
 * full rate (about 1.5 M requests), shipped default catalog, one policy. One op = one run; the runner
 * divides by {@link #requests()} to print ns per simulated request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SimulationBenchmark {
    @Param({"reactive.hpa"})
    public String policy;

    private SimulationSetup setup;

    @Setup
    public void load() {
        setup = setup();
    }

    static SimulationSetup setup() {
        Workload w = Workload.load("synthetic", new SyntheticTraceGenerator(SyntheticTraceGenerator.defaults(1)
                .withSpan(Duration.ofHours(6))).intervalCounts());
        ModelCatalog cat = ModelCatalog.builtin("synthetic");
        List<ModelSpec> specs = new ArrayList<>();
        for (String m : w.models()) specs.add(cat.resolve(m).spec());
        Map<String, PoolShape> pools = cat.pools();
        Map<String, Double> prices = new LinkedHashMap<>();
        pools.forEach((k, v) -> prices.put(k, v.pricePerHour()));
        return new SimulationSetup(w, 0, w.end(), specs, pools, 1.0, 1, Duration.ofMinutes(15),
                new CostModel(prices, 0), id -> Forecaster.none(), 0, 1);
    }

    /** Requests one run simulates (the same for every run: arrivals depend only on the seed). */
    static long requests(String policy) {
        return new Simulation(setup()).run(policy, Map.of(), Simulation.Progress.NONE).totals().requests();
    }

    @Benchmark
    public RunResult run() {
        return new Simulation(setup).run(policy, Map.of(), Simulation.Progress.NONE);
    }
}
