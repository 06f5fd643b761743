package io.prescale.simulator.engine;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.policy.Decision;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.core.trace.TraceRecord;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.cluster.SimulatedCluster;
import io.prescale.simulator.metrics.ModelMetrics;
import io.prescale.simulator.workload.ArrivalSource;
import io.prescale.simulator.workload.Workload;
import io.prescale.simulator.workload.WorkloadOracle;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A rate scale above 1 on a request trace: each request's copies spread over the gap to the next one, as the oracle expects them. */
class RequestRateScaleTest {
    /** One 1 s request every 10 s, at 0, 10, ..., 100 s. */
    static final Workload EVERY_10S = every10s();

    static Workload every10s() {
        Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
        List<TraceRecord.Request> rs = new ArrayList<>();
        for (int i = 0; i <= 10; i++) rs.add(new TraceRecord.Request(t0.plusSeconds(10L * i), "m", 1.0, -1, -1));
        return Workload.load("list", new ListTraceReader(rs));
    }

    @Test
    void copiesArriveSpreadOverTheGapNotAsABurst() {
        // scale 3 over [0, 100): the ten requests at 0 .. 90 s become 30 arrivals, 10/3 s apart. One warm replica
        // serving one 1 s request at a time serves each alone: 30 of 30 within the 1.5 s SLO. Copies at their
        // request's instant waited 0, 1 and 2 s (latencies 1, 2, 3 s): 10 of 30 met it
        ModelMetrics m = replay(EVERY_10S, 0, 100, 3.0);
        assertThat(m.arrived).isEqualTo(30);
        assertThat(m.served).isEqualTo(30);
        assertThat(m.sloMet).isEqualTo(30);
        assertThat(m.total.getMaxValue() / 1e6).isCloseTo(1.0, within(0.01));
    }

    @Test
    void aWindowStartingInAGapGetsTheCopiesThatFallInIt() {
        // from 5 s: the request at 0 s has copies at 0, 3.33 and 6.67 s; only the last is in [5, 100): 1 + 9 x 3 = 28
        assertThat(replay(EVERY_10S, 5, 100, 3.0).arrived).isEqualTo(28);
    }

    @Test
    void theOracleExpectsTheCopiesWhereTheyArrive() {
        WorkloadOracle o = new WorkloadOracle(EVERY_10S, 0, 100, 3.0);
        // [0, 5): half of the first gap, 3 x 0.5 = 1.5 (it read all 3 copies at 0 s)
        assertThat(o.expected("m", 0, 5)).isCloseTo(1.5, within(1e-9));
        assertThat(o.expected("m", 5, 10)).isCloseTo(1.5, within(1e-9));
        assertThat(o.expected("m", 0, 100)).isCloseTo(30, within(1e-9));
        // the peak over 20 s windows is the mean rate, 3 per 10 s, not a burst
        assertThat(o.peakRate("m", 20)).isCloseTo(0.3, within(1e-9));
        // below 1 the scale thins: expected counts stay at the requests' instants
        assertThat(new WorkloadOracle(EVERY_10S, 0, 100, 0.5).expected("m", 0, 5)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void copiesNeverReachPastTheNextRequestHoweverFineTheirGap() {
        // requests at 0 s, 1 day and 1 day + 1 us; scale 1000: the second's copies 1 ns apart, each step a few
        // per cent more than 1 ns at 86400 s (a double there is 1.46e-11 s apart). Added step by step, the last copies
        // came after the third request, whose arrival then ran backwards in time and stopped the run
        Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
        List<TraceRecord.Request> rs = List.of(new TraceRecord.Request(t0, "m", 1.0, -1, -1),
                new TraceRecord.Request(t0.plusSeconds(86_400), "m", 1.0, -1, -1),
                new TraceRecord.Request(t0.plusSeconds(86_400).plusNanos(1000), "m", 1.0, -1, -1));
        Workload w = Workload.load("list", new ListTraceReader(rs));
        ModelMetrics m = replay(w, 86_400, 86_401, 1000.0);
        assertThat(m.arrived).isEqualTo(2000); // the second's 1000 copies and the third's, all at once (no gap after it)
    }

    /** Three 0.1 s requests at each whole second 0 .. 10 s, as a trace recorded at whole seconds has them. */
    static Workload threePerSecond() {
        Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
        List<TraceRecord.Request> rs = new ArrayList<>();
        for (int i = 0; i <= 10; i++) for (int k = 0; k < 3; k++) rs.add(new TraceRecord.Request(t0.plusSeconds(i), "m", 0.1, -1, -1));
        return Workload.load("list", new ListTraceReader(rs));
    }

    @Test
    void requestsRecordedAtOneInstantAreCopiedAsAGroupNotAmplifiedIntoABurst() {
        // scale 2 over [0, 10): each second's 3 requests, copied together, arrive as 3 at the second and 3 half a second
        // later. Served one at a time (0.1 s each), a group of 3 waits at most 0.2 s: latencies 0.1, 0.2, 0.3 s, all
        // within the 0.35 s SLO: 60 of 60. The first two requests of a second have no gap to the next one (it is at the
        // same instant), so their copies all came at the second: 5 at once (latencies up to 0.5 s, 2 of them over the
        // SLO) and 1 half a second later: 40 of 60
        ModelMetrics m = replay(threePerSecond(), 0, 10, 2.0, 0.1, 350);
        assertThat(m.arrived).isEqualTo(60);
        assertThat(m.sloMet).isEqualTo(60);
        assertThat(m.total.getMaxValue() / 1e6).isCloseTo(0.3, within(0.01));
        // and the oracle expects them there: [0, 0.5) holds the first round, 3 (it read 2 x 2.5 = 5)
        WorkloadOracle o = new WorkloadOracle(threePerSecond(), 0, 10, 2.0);
        assertThat(o.expected("m", 0, 0.5)).isCloseTo(3, within(1e-9));
        assertThat(o.expected("m", 0.5, 1)).isCloseTo(3, within(1e-9));
        assertThat(o.expected("m", 0, 10)).isCloseTo(60, within(1e-9));
        // at scale 1 the trace is replayed as recorded: 3 at each second, latencies 0.1 .. 0.3 s
        assertThat(replay(threePerSecond(), 0, 10, 1.0, 0.1, 350).arrived).isEqualTo(30);
    }

    @Test
    void aFractionalScaleCopiesEachRequestOfAGroupByItsOwnDraw() {
        // scale 1.5: each request becomes 1 or 2 arrivals; a group's second round holds those drawn 2, half a second
        // on. Whatever the draws, the arrivals stay in time order (the server refuses one that runs backwards) and
        // number between 1 and 2 per request
        ModelMetrics m = replay(threePerSecond(), 0, 10, 1.5, 0.1, 350);
        assertThat(m.arrived).isBetween(30L, 60L);
        assertThat(m.sloMet).isEqualTo(m.arrived);
    }

    private static ModelMetrics replay(Workload w, double from, double to, double scale) {
        return replay(w, from, to, scale, 1, 1500);
    }

    /** Replays [from, to) of {@code w} at {@code scale} into a model with one warm replica; returns its metrics. */
    private static ModelMetrics replay(Workload w, double from, double to, double scale, double serviceSeconds, long sloMillis) {
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        LatencyProfile profile = LatencyProfile.linear(serviceSeconds, 0);
        ModelSpec spec = new ModelSpec("m", a100.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null), Map.of(a100.id(), profile),
                1, Duration.ZERO, 100, Duration.ofSeconds(60), new Slo(Duration.ofMillis(sloMillis), 0, 0.99), PriorityClass.NORMAL,
                Duration.ofSeconds(20), 0, 1);
        SimulatedCluster c = new SimulatedCluster(w.origin(), List.of(a100), List.of(spec), SimulatedCluster.Gaps.NONE);
        c.setNow(from);
        c.apply(new Decision.ScaleModel("m", 1));
        c.warmStart();
        ArrivalSource.of(w, 0, c.server(0), profile, from, to, 1, scale).advanceTo(to);
        c.finish(to);
        return c.server(0).metrics;
    }
}
