package io.prescale.simulator.engine;

import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;
import io.prescale.core.trace.ArrivalShape;
import io.prescale.forecasting.ForecasterCatalog;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.workload.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forecasts never see the future: two traces equal up to time T and different after it (five times the
 * demand) give a predictive policy the same decisions, tick for tick, up to T. A policy that peeked at
 * the trace would scale up early on the second one.
 */
class NoLookAheadTest {
    static final double DAY = 86400;

    @ParameterizedTest
    @ValueSource(strings = {"predictive.headroom", "predictive.hybrid", "predictive.aws-style", "predictive.sageserve-style",
            "predictive.headroom:burstWindow=15m,spareNodes=2,zeroBelowExpected=5,backlogPerReplica=1",
            "predictive.headroom:keepAlive=60m,spareNodes=1,zeroBelowExpected=5"})
    void decisionsBeforeTheTickIgnoreDataAfterIt(String policy) {
        double cut = 1.5 * DAY;
        RunResult same = run(policy, trace(1.0, cut));
        RunResult changed = run(policy, trace(5.0, cut));
        List<RunResult.SeriesRow> a = before(same, cut), b = before(changed, cut);
        assertThat(a).hasSizeGreaterThan(20);
        assertThat(b).isEqualTo(a);
        // and the future really differs, so the comparison means something
        assertThat(changed.totals().requests()).isGreaterThan(same.totals().requests() * 2);
    }

    /**
     * The same on a request trace, where what changes after T is the work each request carries (eight times the
     * service time), not the demand: policies size replicas with a latency profile calibrated to the service times
     * they have seen, and must not be handed one calibrated to requests still to come.
     */
    @ParameterizedTest
    @ValueSource(strings = {"predictive.headroom", "predictive.hybrid", "predictive.aws-style", "predictive.sageserve-style",
            "predictive.headroom:burstWindow=15m,spareNodes=2,zeroBelowExpected=5,backlogPerReplica=1",
            "predictive.headroom:keepAlive=60m,spareNodes=1,zeroBelowExpected=5"})
    void sizingBeforeTheTickIgnoresServiceTimesAfterIt(String policy) {
        double cut = 1.5 * DAY;
        RunResult same = run(policy, requests(1.0, cut), "alibaba-genai", 1.0);
        RunResult changed = run(policy, requests(8.0, cut), "alibaba-genai", 1.0);
        List<RunResult.SeriesRow> a = before(same, cut), b = before(changed, cut);
        assertThat(a).hasSizeGreaterThan(20);
        assertThat(b).isEqualTo(a);
        // the same requests arrive, and the longer jobs after T really cost more, so the comparison means something
        assertThat(changed.totals().requests()).isEqualTo(same.totals().requests());
        assertThat(changed.totals().gpuHours()).isGreaterThan(same.totals().gpuHours());
    }

    /**
     * One model, 2 days of requests with a daily cycle (one every 40 s on average, 10 to 30 s jobs); the service
     * time of every request from {@code cut} on is multiplied by {@code afterCut}.
     */
    private static Workload requests(double afterCut, double cut) {
        Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
        List<TraceRecord.Request> rs = new ArrayList<>();
        int k = 0;
        for (double t = 0; t < 2 * DAY; k++) {
            double svc = (10 + 10 * (k % 3)) * (t >= cut ? afterCut : 1.0);
            rs.add(new TraceRecord.Request(t0.plusMillis(Math.round(t * 1000)), "m", svc, -1, -1));
            t += 40 / (1 + 0.5 * Math.sin(2 * Math.PI * t / DAY));
        }
        return Workload.load("lookahead-requests", new ListTraceReader(rs));
    }

    private static List<RunResult.SeriesRow> before(RunResult r, double cut) {
        return r.series().stream().filter(s -> s.start() + 600 <= cut).toList();
    }

    /** One model, 2 days of 10-minute counts with a daily cycle; after {@code cut} the counts are multiplied. */
    private static Workload trace(double afterCut, double cut) {
        List<TraceRecord> recs = new ArrayList<>();
        for (int w = 0; w < 288; w++) {
            double t = w * 600.0;
            double rate = 20 + 15 * Math.sin(2 * Math.PI * t / DAY);
            double count = rate * 600 * (t >= cut ? afterCut : 1.0);
            recs.add(new TraceRecord.IntervalCount(Instant.EPOCH.plusSeconds((long) t), Duration.ofMinutes(10), "m", count,
                    ArrivalShape.POISSON, false));
        }
        Iterator<TraceRecord> it = recs.iterator();
        return Workload.load("lookahead", new TraceReader() {
            @Override public TraceFeatures features() { return new TraceFeatures(true, false, false, false, true); }
            @Override public long skippedRows() { return 0; }
            @Override public void close() { }
            @Override public boolean hasNext() { return it.hasNext(); }
            @Override public TraceRecord next() { return it.next(); }
        });
    }

    /** {@code id} or {@code id:key=value,...}. */
    private static RunResult run(String policyAndParams, Workload w) {
        return run(policyAndParams, w, "synthetic", 0.2);
    }

    private static RunResult run(String policyAndParams, Workload w, String catalog, double rateScale) {
        String[] parts = policyAndParams.split(":", 2);
        String policy = parts[0];
        Map<String, Object> params = new LinkedHashMap<>();
        if (parts.length > 1) for (String kv : parts[1].split(",")) params.put(kv.split("=")[0], kv.split("=")[1]);
        ModelCatalog cat = ModelCatalog.builtin(catalog);
        List<ModelSpec> specs = List.of(cat.resolve("m").spec());
        Map<String, PoolShape> pools = cat.pools();
        Map<String, Double> prices = new LinkedHashMap<>();
        pools.forEach((k, v) -> prices.put(k, v.pricePerHour()));
        String fc = policy.equals("predictive.sageserve-style") ? "arima" : "holt-winters";
        SimulationSetup s = new SimulationSetup(w, DAY, 2 * DAY, specs, pools, rateScale, 7, Duration.ofMinutes(10),
                new CostModel(prices, 0), id -> (Forecaster) ForecasterCatalog.create(fc, Duration.ofMinutes(10)), 0, 1);
        return new Simulation(s).run(policy, params, Simulation.Progress.NONE);
    }
}
