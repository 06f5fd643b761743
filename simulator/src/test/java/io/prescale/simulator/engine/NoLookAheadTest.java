package io.prescale.simulator.engine;

import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.Observation;
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
 * the trace would scale up early on the second one. And what the simulator tells a policy at a tick is the same
 * for two traces that agree on everything known by then.
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
     * What a policy is told at a tick holds only what is known by then. Two request traces that differ only in the
     * work of the requests that arrive less than 10 s before T or later (eight times as long in the second; every
     * request takes at least 10 s, so none of those has finished by T in either, and one arrives 5 s before T, when the
     * replica is free, so it runs at T): every observation up to T is the same. The simulator fixes a request's latency
     * when it dispatches it, and a tick used to count it then, which told the policy the latency and the SLO outcome of a
     * request still running (its service time, which a live system learns only when it ends).
     */
    @ParameterizedTest
    @ValueSource(strings = {"predictive.headroom", "reactive.hpa"})
    void observationsUpToTheTickHoldNoOutcomeOfARequestStillRunning(String policy) {
        double cut = 1.5 * DAY;
        Workload same = requests(1.0, cut - 10, cut - 5), changed = requests(8.0, cut - 10, cut - 5);
        List<Observation> a = observations(policy, same), b = observations(policy, changed);
        List<Observation> aUpTo = upTo(a, same.at(cut)), bUpTo = upTo(b, changed.at(cut));
        assertThat(aUpTo).hasSizeGreaterThan(20);
        assertThat(aUpTo.get(aUpTo.size() - 1).now()).isEqualTo(same.at(cut));
        // the request that arrived 5 s before T is running at T
        assertThat(aUpTo.get(aUpTo.size() - 1).models().get(0).inService()).isPositive();
        assertThat(bUpTo).isEqualTo(aUpTo);
        // and the work really differs: once those requests have finished, the ticks are told different latencies
        assertThat(b).isNotEqualTo(a);
    }

    /**
     * The same for a gap in an interval trace: the second trace has no data for the hour from T (the first has the
     * same counts as before). The tick at T reports the interval before T, which has data in both: it is not told of the
     * gap to come (it was: the mask was read at the tick's instant, in the window that starts there).
     */
    @ParameterizedTest
    @ValueSource(strings = {"predictive.headroom", "reactive.hpa"})
    void aGapAfterTheTickIsNotReportedAtIt(String policy) {
        double cut = 1.5 * DAY;
        Workload same = trace(1.0, cut, false), changed = trace(1.0, cut, true);
        List<Observation> a = observations(policy, same), b = observations(policy, changed);
        List<Observation> aUpTo = upTo(a, same.at(cut)), bUpTo = upTo(b, changed.at(cut));
        assertThat(aUpTo).hasSizeGreaterThan(20);
        assertThat(aUpTo.get(aUpTo.size() - 1).now()).isEqualTo(same.at(cut));
        assertThat(bUpTo).isEqualTo(aUpTo);
        // the gap is reported, from the first tick after T, and only there
        List<Observation> masked = b.stream().filter(o -> o.models().get(0).demandMasked()).toList();
        assertThat(masked).isNotEmpty();
        assertThat(masked.get(0).now()).isAfter(changed.at(cut));
        assertThat(masked.get(masked.size() - 1).now()).isBeforeOrEqualTo(changed.at(cut + 3600));
    }

    private static List<Observation> upTo(List<Observation> all, Instant t) {
        return all.stream().filter(o -> !o.now().isAfter(t)).toList();
    }

    private static List<Observation> observations(String policy, Workload w) {
        List<Observation> out = new ArrayList<>();
        run(policy, w, w.perInterval() ? "synthetic" : "alibaba-genai", w.perInterval() ? 0.2 : 1.0, out::add);
        return out;
    }

    /**
     * One model, 2 days of requests with a daily cycle (one every 40 s on average, 10 to 30 s jobs); the service
     * time of every request from {@code cut} on is multiplied by {@code afterCut}.
     */
    private static Workload requests(double afterCut, double cut) {
        return requests(afterCut, cut, Double.NaN);
    }

    /** As {@link #requests(double, double)}, with one more 10 s request at {@code extra} (none when NaN). */
    private static Workload requests(double afterCut, double cut, double extra) {
        Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
        List<TraceRecord.Request> rs = new ArrayList<>();
        int k = 0;
        boolean added = Double.isNaN(extra);
        for (double t = 0; t < 2 * DAY; k++) {
            if (!added && t > extra) {
                rs.add(new TraceRecord.Request(t0.plusMillis(Math.round(extra * 1000)), "m", 10 * (extra >= cut ? afterCut : 1.0), -1, -1));
                added = true;
            }
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
        return trace(afterCut, cut, false);
    }

    /** As {@link #trace(double, double)}; with {@code gapAfterCut}, the hour from {@code cut} is a gap (no data). */
    private static Workload trace(double afterCut, double cut, boolean gapAfterCut) {
        List<TraceRecord> recs = new ArrayList<>();
        for (int w = 0; w < 288; w++) {
            double t = w * 600.0;
            double rate = 20 + 15 * Math.sin(2 * Math.PI * t / DAY);
            double count = rate * 600 * (t >= cut ? afterCut : 1.0);
            boolean gap = gapAfterCut && t >= cut && t < cut + 3600;
            recs.add(new TraceRecord.IntervalCount(Instant.EPOCH.plusSeconds((long) t), Duration.ofMinutes(10), "m", gap ? 0 : count,
                    ArrivalShape.POISSON, gap));
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
        return run(policyAndParams, w, catalog, rateScale, o -> {});
    }

    private static RunResult run(String policyAndParams, Workload w, String catalog, double rateScale, java.util.function.Consumer<Observation> tap) {
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
        return new Simulation(s).observing(tap).run(policy, params, Simulation.Progress.NONE);
    }
}
