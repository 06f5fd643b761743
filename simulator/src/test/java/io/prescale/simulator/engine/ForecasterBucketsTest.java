package io.prescale.simulator.engine;

import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecast;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.trace.TraceRecord;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.workload.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forecaster's buckets lie on its own grid (whole 10 minutes of the clock), for the history before the run and for
 * the ticks of the run alike, and each holds a whole bucket of demand. A request trace starts at its first request, not
 * on that grid: the history was cut into buckets from the trace's start (each labelled with the grid bucket it began
 * in, so shifted by up to a bucket), and the bucket the run starts in was handed over with only the arrivals the run's
 * ticks saw, as if the demand before the run's start in it had been none.
 *
 * <p>The trace: one request every 2 s (300 a bucket) from 00:07:00, for three hours; reactive.hpa (15 s ticks), which
 * does not forecast, so the forecaster only records what it is told.
 */
class ForecasterBucketsTest {
    static final Instant ORIGIN = Instant.parse("2024-03-01T00:07:00Z");

    @Test
    void theBucketTheRunStartsInHoldsTheDemandBeforeTheStartToo() {
        // --from 1h: the run starts at 01:07. History: the whole buckets from the first after the trace's start, 00:10 ..
        // 00:50 (five of 300; [00:00, 00:10) began before the trace and is left out). The run's first bucket, [01:00,
        // 01:10), is 7 minutes of history (210 requests) and 3 minutes of ticks (90): 300. Before: six history buckets
        // labelled 00:00 .. 00:50 from 00:07 + 10 k minutes, and [01:00, 01:10) handed over as 90
        Map<Instant, Double> seen = run(3600, 7200);
        assertThat(seen.keySet()).first().isEqualTo(Instant.parse("2024-03-01T00:10:00Z"));
        assertThat(seen.get(Instant.parse("2024-03-01T01:00:00Z"))).isEqualTo(300.0);
        for (Map.Entry<Instant, Double> e : seen.entrySet()) {
            assertThat(e.getKey().getEpochSecond() % 600).as("on the grid: %s", e.getKey()).isZero();
            assertThat(e.getValue()).as("bucket %s", e.getKey()).isEqualTo(300.0);
        }
        // 00:10 .. 01:50 (the one at 02:00 is not complete at the run's end, 02:07)
        assertThat(seen).hasSize(11);
    }

    @Test
    void aBucketThatBeganBeforeTheTraceIsMaskedNotLearnedAsLowDemand() {
        // --from 0: the run starts at the trace's start, 00:07; its first bucket [00:00, 00:10) has 3 minutes of data, 90
        // requests: it is handed over as a gap (NaN), not as 90 (a bucket at 30 % of the demand). The next are 300
        Map<Instant, Double> seen = run(0, 3600);
        assertThat(seen.get(Instant.parse("2024-03-01T00:00:00Z"))).isNaN();
        assertThat(seen.get(Instant.parse("2024-03-01T00:10:00Z"))).isEqualTo(300.0);
        assertThat(seen.get(Instant.parse("2024-03-01T00:50:00Z"))).isEqualTo(300.0);
    }

    @Test
    void anIntervalTraceIsUnknownBeforeItsFirstRecordNotIdle(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // 10-minute counts of 300 from 02:30 to 06:00 (a live-history export, or NASA's from 04:00 UTC): the origin is the
        // midnight before, so that 1d is a day boundary, but 00:00 .. 02:30 holds no record: it is masked (NaN) in the
        // history, not learned as 15 buckets of no demand. --from 4h: history 00:00 .. 03:50, 24 buckets, 15 NaN, 9 of 300
        StringBuilder csv = new StringBuilder("interval_start,interval_s,model,count\n");
        for (Instant t = Instant.parse("2024-03-01T02:30:00Z"); t.isBefore(Instant.parse("2024-03-01T06:00:00Z")); t = t.plusSeconds(600))
            csv.append(t).append(",600,m,300\n");
        java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("late.csv"), csv);
        Workload w = io.prescale.simulator.setup.TraceSetup.read(io.prescale.datasets.SharedTraces.resolve("counts-csv:" + f,
                java.util.Optional.empty()), false);
        assertThat(w.origin()).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
        assertThat(w.start()).isEqualTo(2.5 * 3600);
        Map<Instant, Double> seen = run(w, 4 * 3600, 5 * 3600);
        assertThat(seen.get(Instant.parse("2024-03-01T00:00:00Z"))).isNaN();
        assertThat(seen.get(Instant.parse("2024-03-01T02:20:00Z"))).isNaN();
        assertThat(seen.get(Instant.parse("2024-03-01T02:30:00Z"))).isCloseTo(300.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(seen.entrySet().stream().filter(e -> e.getKey().isBefore(Instant.parse("2024-03-01T04:00:00Z")))
                .filter(e -> e.getValue().isNaN())).hasSize(15);
    }

    /** What the forecaster is told, by bucket start, over a run scoring [from, to) seconds of the trace. */
    private static Map<Instant, Double> run(double from, double to) {
        List<TraceRecord.Request> rs = new ArrayList<>();
        for (int k = 0; k < 3 * 1800; k++) rs.add(new TraceRecord.Request(ORIGIN.plusSeconds(2L * k), "m", 1.0, -1, -1));
        return run(Workload.load("grid", new ListTraceReader(rs)), from, to);
    }

    private static Map<Instant, Double> run(Workload w, double from, double to) {
        Map<Instant, Double> seen = new LinkedHashMap<>();
        Forecaster recorder = new Forecaster() {
            @Override public String id() { return "recorder"; }
            @Override public Duration interval() { return Duration.ofMinutes(10); }
            @Override public void observe(String series, Instant intervalStart, double count) {
                assertThat(seen).as("observed twice: %s", intervalStart).doesNotContainKey(intervalStart);
                seen.put(intervalStart, count);
            }
            @Override public Forecast forecast(String series, Instant now, Duration horizon) { throw new UnsupportedOperationException(); }
        };
        ModelCatalog cat = ModelCatalog.builtin("alibaba-genai");
        List<ModelSpec> specs = List.of(cat.resolve("m").spec());
        Map<String, PoolShape> pools = cat.pools();
        Map<String, Double> prices = new LinkedHashMap<>();
        pools.forEach((k, v) -> prices.put(k, v.pricePerHour()));
        SimulationSetup s = new SimulationSetup(w, from, to, specs, pools, 1.0, 7, Duration.ofMinutes(10),
                new CostModel(prices, 0), id -> recorder, 0, 1);
        new Simulation(s).run("reactive.hpa", Map.of(), Simulation.Progress.NONE);
        return seen;
    }
}
