package io.prescale.simulator.engine;

import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.trace.TraceRecord;
import io.prescale.datasets.SyntheticTraceGenerator;
import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Whole runs on small in-memory workloads: invariants, determinism, windows and rate scaling. */
class SimulationEndToEndTest {
    static final double H = 3600;
    /** The synthetic generator's four models over 6 hours of 5-minute counts (about 1.5 M requests at scale 1). */
    static final Workload SYNTHETIC = synthetic(11);

    static Workload synthetic(long seed) {
        return Workload.load("synthetic", new SyntheticTraceGenerator(SyntheticTraceGenerator.defaults(seed)
                .withSpan(Duration.ofHours(6))).intervalCounts());
    }

    static SimulationSetup setup(Workload w, double from, double to, double rateScale, long seed) {
        ModelCatalog cat = ModelCatalog.builtin("synthetic");
        List<ModelSpec> specs = new ArrayList<>();
        for (String m : w.models()) specs.add(cat.resolve(m).spec());
        Map<String, PoolShape> pools = cat.pools();
        Map<String, Double> prices = new LinkedHashMap<>();
        pools.forEach((k, v) -> prices.put(k, v.pricePerHour()));
        return new SimulationSetup(w, from, to, specs, pools, rateScale, seed, Duration.ofMinutes(15),
                new CostModel(prices, 0), id -> Forecaster.none(), 0, 1);
    }

    static RunResult run(SimulationSetup s, String policy) {
        return new Simulation(s).run(policy, Map.of(), Simulation.Progress.NONE);
    }

    static Set<String> policies() {
        return PolicyCatalog.ids();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void invariantsHoldForEveryPolicy(String policy) {
        RunResult r = run(setup(SYNTHETIC, 0, 6 * H, 0.25, 1), policy);
        RunResult.Totals t = r.totals();
        assertThat(t.requests()).isGreaterThan(100_000);
        assertThat(t.requests()).isEqualTo(t.served() + t.dropped() + t.timedOut() + t.inFlight());
        assertThat(t.inFlight()).isGreaterThanOrEqualTo(0);
        for (RunResult.Totals m : r.models())
            assertThat(m.requests()).as(m.model()).isEqualTo(m.served() + m.dropped() + m.timedOut() + m.inFlight());
        assertThat(r.models().stream().mapToLong(RunResult.Totals::requests).sum()).isEqualTo(t.requests());
        assertThat(r.invariants().requestsBalance()).isTrue();
        assertThat(r.invariants().peakGpuMemoryRatio()).isBetween(0.0, 1.0);
        assertThat(r.invariants().costNonNegative()).isTrue();
        assertThat(r.invariants().hold()).isTrue();
        assertThat(t.costUsd()).isGreaterThanOrEqualTo(0);
        assertThat(t.gpuHours()).isGreaterThan(0);
        assertThat(t.sloAttainment()).isBetween(0.0, 1.0);
        assertThat(t.meanUtilization()).isBetween(0.0, 1.0);
        // per-model cost is the pools' bill split by share: never more than the bill
        assertThat(r.models().stream().mapToDouble(RunResult.Totals::costUsd).sum()).isLessThanOrEqualTo(t.costUsd() * (1 + 1e-9) + 1e-9);
        // the time series covers the window and adds up to the totals
        assertThat(r.series().stream().mapToLong(RunResult.SeriesRow::arrivals).sum()).isEqualTo(t.requests());
    }

    @Test
    void theSameSeedGivesTheSameFiguresAndAnotherSeedOtherArrivals() {
        SimulationSetup s = setup(SYNTHETIC, 0, 3 * H, 0.25, 5);
        RunResult a = run(s, "reactive.knative");
        RunResult b = run(setup(SYNTHETIC, 0, 3 * H, 0.25, 5), "reactive.knative");
        assertThat(b.totals()).isEqualTo(a.totals());
        assertThat(b.models()).isEqualTo(a.models());
        assertThat(b.series()).isEqualTo(a.series());
        assertThat(b.invariants()).isEqualTo(a.invariants());
        assertThat(b.params()).isEqualTo(a.params());
        assertThat(b.latencyCdf()).isDeepEqualTo(a.latencyCdf());
        RunResult c = run(setup(SYNTHETIC, 0, 3 * H, 0.25, 6), "reactive.knative");
        assertThat(c.totals().requests()).isNotEqualTo(a.totals().requests());
        // the same expected demand: counts agree within a few standard deviations
        assertThat((double) c.totals().requests()).isCloseTo(a.totals().requests(), within(0.01 * a.totals().requests()));
    }

    @Test
    void everyPolicySeesTheSameArrivals() {
        SimulationSetup s = setup(SYNTHETIC, 0, 2 * H, 0.25, 3);
        long hpa = run(s, "reactive.hpa").totals().requests();
        assertThat(run(s, "oracle").totals().requests()).isEqualTo(hpa);
        assertThat(run(s, "keepalive.fixed").totals().requests()).isEqualTo(hpa);
    }

    @Test
    void theOracleMeetsTheSloWithNoMoreGpuHoursThanStaticPeak() {
        SimulationSetup s = setup(SYNTHETIC, 0, 6 * H, 0.25, 1);
        RunResult oracle = run(s, "oracle");
        RunResult peak = run(s, "static.peak");
        assertThat(oracle.totals().sloAttainment()).isGreaterThanOrEqualTo(0.99);
        assertThat(oracle.totals().gpuHours()).isLessThanOrEqualTo(peak.totals().gpuHours());
    }

    @Test
    void arrivalsBeforeFromAndAfterToAreNotScored() {
        // one request a second for 100 s; the scored window is [30, 60)
        Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
        List<TraceRecord.Request> rs = new ArrayList<>();
        for (int i = 0; i < 100; i++) rs.add(new TraceRecord.Request(t0.plusSeconds(i), "m", 0.02, -1, -1));
        Workload w = Workload.load("list", new ListTraceReader(rs));
        RunResult r = run(setup(w, 30, 60, 1.0, 1), "static.peak");
        assertThat(r.totals().requests()).isEqualTo(30);
        assertThat(r.totals().served()).isEqualTo(30);
        assertThat(r.series().get(0).start()).isEqualTo(30.0);
    }

    @Test
    void rateScaleHalfRoughlyHalvesTheRequests() {
        long full = run(setup(SYNTHETIC, 0, 2 * H, 1.0, 2), "static.peak").totals().requests();
        long half = run(setup(SYNTHETIC, 0, 2 * H, 0.5, 2), "static.peak").totals().requests();
        // ~500 k requests at scale 1: Poisson noise is far below the 2 % allowed here
        assertThat(half / (double) full).isCloseTo(0.5, within(0.01));
        // request traces are thinned request by request: 20 000 requests -> 10 000, sigma = sqrt(20 000 x 0.25) = 71: allow 4 sigma
        Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
        List<TraceRecord.Request> rs = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) rs.add(new TraceRecord.Request(t0.plusMillis(50L * i), "m", 0.02, -1, -1));
        Workload w = Workload.load("list", new ListTraceReader(rs));
        long thinned = run(setup(w, 0, w.end(), 0.5, 1), "static.peak").totals().requests();
        assertThat(thinned).isBetween(9_700L, 10_300L);
        long doubled = run(setup(w, 0, w.end(), 2.0, 1), "static.peak").totals().requests();
        assertThat(doubled).isEqualTo(40_000L);
    }
}
