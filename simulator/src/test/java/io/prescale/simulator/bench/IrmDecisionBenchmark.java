package io.prescale.simulator.bench;

import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.loop.DemandAggregator;
import io.prescale.core.loop.IrmLoop;
import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.Slo;
import io.prescale.core.policy.PolicyContext;
import io.prescale.core.resource.PoolShape;
import io.prescale.forecasting.ForecasterCatalog;
import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.cluster.ModelServer;
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
 * One IRM control tick at {@code models} models under changing demand: observe the simulated cluster, feed the
 * forecaster, forecast every model over its lead time, decide (predictive.headroom) and apply with placement.
 * One op = one tick, 30 s of virtual time apart. Bar: 50 ms per tick at 1,000 models.
 *
 * <p>Each model's rate follows a daily cycle at its own phase, and bursts to 3x for half of its own period (10 to
 * 60 minutes, at its own phase), so on every tick some models' demand jumps or falls: the policy starts replicas
 * (placed on nodes, provisioned when none is free) and stops others once the lower target has held for its
 * scale-down delay. The forecaster (Holt-Winters, 10-minute counts) holds 7 days of history of the same rates.
 * Before each tick the tick's requests (Poisson, 2 to 20 req/s per model on average) are fed to the model servers
 * and served, outside the measured op: the op is the IRM decision, not the request path ({@code
 * EventLoopBenchmark} measures that). {@link #lastTickStarts} and {@link #lastTickStops} say what the last tick
 * did ({@code IrmDecisionBenchmarkTest} checks that every tick starts and stops replicas).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IrmDecisionBenchmark {
    @Param({"1000"})
    public int models;

    @Param({"predictive.headroom"})
    public String policy;

    static final double TICK_SECONDS = 30;
    static final double DAY = 86_400;

    private IrmLoop loop;
    private SimulatedCluster cluster;
    private Instant origin;
    private double t;                 // seconds since the origin: the tick about to run
    private double[] base, phase, burstPeriod, burstPhase;
    private SplittableRandom arrivals;
    private long startsBefore;
    private int replicasBefore;
    long lastTickStarts;
    long lastTickStops;

    /** Mean request rate of model {@code i} at {@code s} seconds: its daily cycle, 3x while it bursts. */
    double rate(int i, double s) {
        double daily = base[i] * (1 + 0.5 * Math.sin(2 * Math.PI * s / DAY + phase[i]));
        boolean burst = ((long) Math.floor((s + burstPhase[i]) / (burstPeriod[i] / 2))) % 2 == 0;
        return burst ? 3 * daily : daily;
    }

    @Setup(Level.Trial)
    public void build() {
        ModelCatalog cat = ModelCatalog.builtin("synthetic");
        ModelSpec m = cat.resolve("m").spec();
        // batches of up to 8 take 0.4 s + 50 ms each: about 10 req/s per replica, so a model needs a few replicas and
        // its bursts several more (the shipped synthetic spec serves ~80 req/s, where the same replica counts would
        // take 8x the requests to simulate between ticks)
        ModelSpec base0 = new ModelSpec("m", m.pool(), m.needs(), Map.of(m.pool(), LatencyProfile.linear(0.4, 0.05)), 8,
                Duration.ofMillis(50), 10_000, Duration.ofSeconds(30), new Slo(Duration.ofSeconds(2), 0, 0.99), m.priority(),
                m.loadTime(), 0, 2000);
        List<ModelSpec> specs = new ArrayList<>();
        for (int i = 0; i < models; i++) specs.add(base0.withId("model-" + i));
        Map<String, PoolShape> pools = cat.pools();
        Map<String, Double> prices = new LinkedHashMap<>();
        pools.forEach((k, v) -> prices.put(k, v.pricePerHour()));
        origin = Instant.parse("2024-01-01T00:00:00Z");
        SplittableRandom r = new SplittableRandom(1);
        base = new double[models];
        phase = new double[models];
        burstPeriod = new double[models];
        burstPhase = new double[models];
        for (int i = 0; i < models; i++) {
            base[i] = 2 + 18 * r.nextDouble();
            phase[i] = 2 * Math.PI * r.nextDouble();
            burstPeriod[i] = 600 + 3000 * r.nextDouble();
            burstPhase[i] = burstPeriod[i] * r.nextDouble();
        }
        Forecaster f = ForecasterCatalog.create(policy.equals("predictive.sageserve-style") ? "arima" : "holt-winters", Duration.ofMinutes(10));
        for (int i = 0; i < models; i++) {
            for (int k = 0; k < 7 * 144; k++) {
                double mean = 0; // the bucket's expected count: the rate at each 30 s step of its 10 minutes
                for (int j = 0; j < 20; j++) mean += rate(i, 600.0 * k + TICK_SECONDS * (j + 0.5)) * TICK_SECONDS;
                f.observe("model-" + i, origin.plusSeconds(600L * k), Math.max(0, mean + r.nextGaussian() * Math.sqrt(mean)));
            }
        }
        t = 7 * DAY;
        PolicyContext ctx = new PolicyContext(() -> at(t), new SplittableRandom(2), f, new CostModel(prices, 0), Optional.empty());
        var p = PolicyCatalog.create(policy, Map.of(), ctx);
        cluster = new SimulatedCluster(origin, pools.values(), specs, SimulatedCluster.Gaps.NONE);
        loop = new IrmLoop(p, new DemandAggregator(f), cluster);
        arrivals = new SplittableRandom(3);
        loop.tick(at(t));
    }

    private Instant at(double seconds) {
        return origin.plusNanos(Math.round(seconds * 1e9));
    }

    /**
     * The next tick's requests, served: Poisson arrivals at each model's rate over the 30 s up to the tick, fed to
     * its server in time order, its queue then drained to the tick. Not measured.
     */
    @Setup(Level.Invocation)
    public void arrivalsUpToTheNextTick() {
        double from = t;
        t += TICK_SECONDS;
        for (int i = 0; i < models; i++) {
            ModelServer s = cluster.server(i);
            float service = (float) s.nominalService();
            double lambda = rate(i, from + TICK_SECONDS / 2);
            for (double a = from - Math.log(1 - arrivals.nextDouble()) / lambda; a < t; a -= Math.log(1 - arrivals.nextDouble()) / lambda)
                s.arrive(a, service);
            s.drain(t);
        }
        startsBefore = cluster.coldStarts();
        replicasBefore = cluster.replicasTotal();
    }

    @Benchmark
    public Object tick() {
        Object decisions = loop.tick(at(t));
        lastTickStarts = cluster.coldStarts() - startsBefore;
        lastTickStops = lastTickStarts - (cluster.replicasTotal() - replicasBefore);
        return decisions;
    }
}
