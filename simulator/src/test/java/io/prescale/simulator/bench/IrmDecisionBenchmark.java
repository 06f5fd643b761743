package io.prescale.simulator.bench;

import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.loop.DemandAggregator;
import io.prescale.core.loop.IrmLoop;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.PolicyContext;
import io.prescale.core.resource.PoolShape;
import io.prescale.forecasting.ForecasterCatalog;
import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.cluster.SimulatedCluster;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One IRM control tick at {@code models} models: observe the simulated cluster, feed the forecaster,
 * forecast every model over its lead time, decide (predictive.headroom) and apply with placement.
 * The forecaster (Holt-Winters, 10-minute counts) holds 7 days of daily-cycle history per model. One op =
 * one tick, 30 s of virtual time apart. Bar: 50 ms per tick at 1,000 models.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IrmDecisionBenchmark {
    @Param({"1000"})
    public int models;

    @Param({"predictive.headroom"})
    public String policy;

    private IrmLoop loop;
    private Instant now;

    @Setup(Level.Trial)
    public void build() {
        ModelCatalog cat = ModelCatalog.builtin("synthetic");
        ModelSpec base = cat.resolve("m").spec();
        List<ModelSpec> specs = new ArrayList<>();
        for (int i = 0; i < models; i++) specs.add(base.withId("model-" + i));
        Map<String, PoolShape> pools = cat.pools();
        Map<String, Double> prices = new LinkedHashMap<>();
        pools.forEach((k, v) -> prices.put(k, v.pricePerHour()));
        Instant origin = Instant.parse("2024-01-01T00:00:00Z");
        Forecaster f = ForecasterCatalog.create(policy.equals("predictive.sageserve-style") ? "arima" : "holt-winters", Duration.ofMinutes(10));
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < models; i++) {
            double scale = 50 + 500 * r.nextDouble();
            for (int k = 0; k < 7 * 144; k++) {
                double day = 2 * Math.PI * k / 144.0;
                f.observe("model-" + i, origin.plusSeconds(600L * k), Math.max(0, scale * (1 + 0.6 * Math.sin(day)) + r.nextGaussian() * Math.sqrt(scale)));
            }
        }
        now = origin.plusSeconds(7 * 86400);
        Instant[] clock = {now};
        PolicyContext ctx = new PolicyContext(InstantSource.fixed(now), new SplittableRandom(2), f, new CostModel(prices, 0), Optional.empty());
        var p = PolicyCatalog.create(policy, Map.of(), ctx);
        SimulatedCluster cluster = new SimulatedCluster(origin, pools.values(), specs, i -> false);
        loop = new IrmLoop(p, new DemandAggregator(f), cluster);
        loop.tick(now);
    }

    @Benchmark
    public Object tick() {
        now = now.plusSeconds(30);
        return loop.tick(now);
    }
}
