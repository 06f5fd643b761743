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
        String[] parts = policyAndParams.split(":", 2);
        String policy = parts[0];
        Map<String, Object> params = new LinkedHashMap<>();
        if (parts.length > 1) for (String kv : parts[1].split(",")) params.put(kv.split("=")[0], kv.split("=")[1]);
        ModelCatalog cat = ModelCatalog.builtin("synthetic");
        List<ModelSpec> specs = List.of(cat.resolve("m").spec());
        Map<String, PoolShape> pools = cat.pools();
        Map<String, Double> prices = new LinkedHashMap<>();
        pools.forEach((k, v) -> prices.put(k, v.pricePerHour()));
        String fc = policy.equals("predictive.sageserve-style") ? "arima" : "holt-winters";
        SimulationSetup s = new SimulationSetup(w, DAY, 2 * DAY, specs, pools, 0.2, 7, Duration.ofMinutes(10),
                new CostModel(prices, 0), id -> (Forecaster) ForecasterCatalog.create(fc, Duration.ofMinutes(10)), 0, 1);
        return new Simulation(s).run(policy, params, Simulation.Progress.NONE);
    }
}
