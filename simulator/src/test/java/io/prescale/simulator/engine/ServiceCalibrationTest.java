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
import io.prescale.simulator.workload.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The profile a deployable policy sizes with is calibrated to the work of the requests known at each tick: those
 * before the simulated start that ended by it, then each one whose service has ended (one from before the start that
 * was still running at it included); the oracle's to every request of the trace.
 */
class ServiceCalibrationTest {
    static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    static final PoolShape A100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
    /** 5 s for a single request: 4 s base + 1 s per item. */
    static final LatencyProfile FIVE_SECONDS = LatencyProfile.linear(4, 1);

    /** "m": requests of 10 and 30 s before 20 s, then of 100 s at 20 s and 200 s at 25 s; "quiet": none before 20 s. */
    static final Workload W = Workload.load("calibration", new ListTraceReader(List.of(
            new TraceRecord.Request(T0, "m", 10, -1, -1),
            new TraceRecord.Request(T0.plusSeconds(10), "m", 30, -1, -1),
            new TraceRecord.Request(T0.plusSeconds(20), "m", 100, -1, -1),
            new TraceRecord.Request(T0.plusSeconds(25), "m", 200, -1, -1),
            new TraceRecord.Request(T0.plusSeconds(30), "quiet", 50, -1, -1))));

    @Test
    void aDeployablePolicySeesTheHistoryThenEachRequestOnceItsServiceHasEnded() {
        SimulatedCluster c = cluster(ServiceCalibration.view(W, List.of(spec("m"), spec("quiet")), 20, false));
        // at 20 s: of the two requests before the start, the one that has ended, the 10 s job of 0..10 s: 10 s; base and
        // per-item scaled by 10 / 5 = 2. The 30 s job of 10 s runs until 40 s: its service is not known yet (it was
        // counted from the start: (10 + 30) / 2 = 20 s, base 16)
        assertThat(single(c, 20, "m")).isCloseTo(10, within(1e-9));
        assertThat(spec(c, 20, "m").latency().baseSeconds()).isCloseTo(8, within(1e-9));
        // no request before the start: the catalog's 5 s
        assertThat(single(c, 20, "quiet")).isCloseTo(5, within(1e-9));
        c.server(0).arrive(20, 100f); // one replica, batches of one: served 20..120 s
        c.server(0).arrive(25, 200f); // then 120..320 s
        c.server(1).arrive(30, 50f);  // 30..80 s
        // the 30 s job from before the start ends at 40 s: (10 + 30) / 2 = 20 s from then
        assertThat(single(c, 39, "m")).isCloseTo(10, within(1e-9));
        assertThat(single(c, 40, "m")).isCloseTo(20, within(1e-9));
        // both are in service at 119 s, and neither has ended: nothing new is known
        assertThat(single(c, 119, "m")).isCloseTo(20, within(1e-9));
        // the 50 s job ended at 80 s: the quiet model's only measurement
        assertThat(single(c, 119, "quiet")).isCloseTo(50, within(1e-9));
        // the 100 s job ended at 120 s: (10 + 30 + 100) / 3
        assertThat(single(c, 120, "m")).isCloseTo(140.0 / 3, within(1e-9));
        // and the 200 s one at 320 s: (10 + 30 + 100 + 200) / 4
        assertThat(single(c, 319, "m")).isCloseTo(140.0 / 3, within(1e-9));
        assertThat(single(c, 320, "m")).isCloseTo(85, within(1e-9));
    }

    @Test
    void theOracleSeesEveryRequestOfTheTraceFromTheStart() {
        SimulatedCluster c = cluster(ServiceCalibration.view(W, List.of(spec("m"), spec("quiet")), 20, true));
        assertThat(single(c, 20, "m")).isCloseTo(85, within(1e-9));
        assertThat(single(c, 20, "quiet")).isCloseTo(50, within(1e-9));
    }

    /**
     * A request without a usable service time is served with the profile's single-request time (or its tokens
     * priced), so the calibration counts it at that time, the oracle's over the whole trace as the deployable one's
     * from the history: one rule for both (the oracle's left such requests out).
     */
    @Test
    void aRequestWithoutAServiceTimeCountsAtTheTimeItIsServedWithInEveryCalibration() {
        // 4 s base + 1 s per item, 0.01 s per input token, 0.1 s per output token: 5 s for a request alone without tokens
        LatencyProfile tokens = new LatencyProfile(4, 1, 0.01, 0.1);
        Workload w = Workload.load("calibration-fallback", new ListTraceReader(List.of(
                new TraceRecord.Request(T0, "m", 10, -1, -1),                     // its own 10 s
                new TraceRecord.Request(T0.plusSeconds(1), "m", 0, -1, -1),       // a recorded 0 s: 5 s
                new TraceRecord.Request(T0.plusSeconds(2), "m", Double.NaN, -1, -1), // neither: 5 s
                new TraceRecord.Request(T0.plusSeconds(3), "m", -1, 100, 50))));  // tokens: 5 + 1 + 5 = 11 s
        ModelSpec m = spec("m").withPool(A100.id(), tokens);
        Workload.RequestSeries r = w.requests(0);
        double[] served = new double[r.size()];
        for (int k = 0; k < r.size(); k++) served[k] = io.prescale.simulator.workload.ArrivalSource.isolatedSeconds(r, k, tokens);
        assertThat(served).containsExactly(10, 5, 5, 11);
        // (10 + 5 + 5 + 11) / 4 = 7.75 s for a single request, whoever calibrates (the oracle's was (10 + 11) / 2 = 10.5)
        assertThat(ServiceCalibration.forPolicies(w, List.of(m)).get(0).latency().batchSeconds(1)).isCloseTo(7.75, within(1e-6));
        SimulatedCluster.PolicyView history = ServiceCalibration.view(w, List.of(m), 20, false); // all four ended before the start
        SimulatedCluster c = new SimulatedCluster(w.origin(), List.of(A100), List.of(m), SimulatedCluster.Gaps.NONE);
        ServiceCalibration.seedEstimates(w, List.of(m), 20, c);
        assertThat(history.spec(0, c.server(0)).latency().batchSeconds(1)).isCloseTo(7.75, within(1e-6));
    }

    @Test
    void theServersEstimateStartsFromTheHistoryWithOnlyInputTokensKnownAtArrival() {
        // 4 s base + 1 s per item, 0.01 s per input token, 0.1 s per output token
        LatencyProfile tokens = new LatencyProfile(4, 1, 0.01, 0.1);
        Workload w = Workload.load("estimate-prior", new ListTraceReader(List.of(
                new TraceRecord.Request(T0, "m", 10, 300, 20),                   // a recorded 10 s: none of it known at arrival
                new TraceRecord.Request(T0.plusSeconds(1), "m", -1, 100, 50),    // 5 + 1 + 5 = 11 s, its 100 input tokens' 1 s known
                new TraceRecord.Request(T0.plusSeconds(2), "m", -1, 200, 10),    // 5 + 2 + 1 = 8 s, 2 s known
                new TraceRecord.Request(T0.plusSeconds(30), "m", -1, 400, 70)))); // after the start: not history
        ModelSpec m = spec("m").withPool(A100.id(), tokens);
        Workload.RequestSeries r = w.requests(0);
        float[] known = new float[r.size()];
        for (int k = 0; k < r.size(); k++) known[k] = io.prescale.simulator.workload.ArrivalSource.knownSeconds(r, k, tokens);
        assertThat(known).containsExactly(new float[]{0f, 1f, 2f, 4f}, org.assertj.core.data.Offset.offset(1e-6f));
        SimulatedCluster c = new SimulatedCluster(w.origin(), List.of(A100), List.of(m), SimulatedCluster.Gaps.NONE);
        assertThat(c.server(0).serviceEstimate()).isCloseTo(5, within(1e-6)); // nothing measured: the profile's single request
        ServiceCalibration.seedEstimates(w, List.of(m), 20, c);
        // the three before 20 s (all ended by then), beyond what was known at arrival: (10 + 10 + 6) / 3 = 26 / 3 s (5 s base and per item
        // plus the mean output, 0.1 x (50 + 10) / 2 = 3 s, for the two priced by their tokens)
        assertThat(c.server(0).serviceEstimate()).isCloseTo(26.0 / 3, within(1e-6));
    }

    @Test
    void aRequestStillRunningAtTheStartCountsInTheServersEstimateOnlyOnceItHasEnded() {
        // a 10 s job at 0 s and a 1,000 s job at 15 s, the start at 20 s: only the first has ended, so deadline admission
        // and preemption estimate a request at 10 s, not (10 + 1,000) / 2 = 505 s (what it was: the long job's service,
        // still running, was read at the start). From 1,015 s, when it has ended, 505 s
        Workload w = Workload.load("estimate-running", new ListTraceReader(List.of(
                new TraceRecord.Request(T0, "m", 10, -1, -1),
                new TraceRecord.Request(T0.plusSeconds(15), "m", 1000, -1, -1))));
        ModelSpec m = spec("m");
        SimulatedCluster c = new SimulatedCluster(w.origin(), List.of(A100), List.of(m), SimulatedCluster.Gaps.NONE);
        ServiceCalibration.seedEstimates(w, List.of(m), 20, c);
        assertThat(c.server(0).serviceEstimate()).isCloseTo(10, within(1e-9));
        c.server(0).closeTick(1014, 994);
        assertThat(c.server(0).serviceEstimate()).isCloseTo(10, within(1e-9));
        assertThat(c.server(0).completedRequests()).isZero();
        c.server(0).closeTick(1015, 1);
        assertThat(c.server(0).serviceEstimate()).isCloseTo(505, within(1e-9));
        assertThat(c.server(0).completedRequests()).isEqualTo(1);
    }

    @Test
    void perIntervalTracesKeepTheCatalogsProfile() {
        Workload intervals = Workload.load("calibration-intervals", new io.prescale.core.trace.TraceReader() {
            final java.util.Iterator<TraceRecord> it = List.<TraceRecord>of(new TraceRecord.IntervalCount(T0, Duration.ofMinutes(10), "m", 60,
                    io.prescale.core.trace.ArrivalShape.POISSON, false)).iterator();
            @Override public io.prescale.core.trace.TraceFeatures features() { return new io.prescale.core.trace.TraceFeatures(true, false, false, false, false); }
            @Override public long skippedRows() { return 0; }
            @Override public void close() { }
            @Override public boolean hasNext() { return it.hasNext(); }
            @Override public TraceRecord next() { return it.next(); }
        });
        assertThat(ServiceCalibration.view(intervals, List.of(spec("m")), 0, false)).isSameAs(SimulatedCluster.PolicyView.AS_BUILT);
        assertThat(ServiceCalibration.view(intervals, List.of(spec("m")), 0, true)).isSameAs(SimulatedCluster.PolicyView.AS_BUILT);
    }

    private static SimulatedCluster cluster(SimulatedCluster.PolicyView view) {
        SimulatedCluster c = new SimulatedCluster(W.origin(), List.of(A100), List.of(spec("m"), spec("quiet")), SimulatedCluster.Gaps.NONE);
        c.setPolicyView(view);
        ServiceCalibration.seedEstimates(W, List.of(spec("m"), spec("quiet")), 20, c);
        c.setNow(20);
        c.apply(new Decision.ScaleModel("m", 1));
        c.apply(new Decision.ScaleModel("quiet", 1));
        c.warmStart();
        return c;
    }

    /** The single-request time policies are told for {@code model} at {@code t} seconds (servers advanced to then). */
    private static double single(SimulatedCluster c, double t, String model) {
        return spec(c, t, model).latency().batchSeconds(1);
    }

    private static ModelSpec spec(SimulatedCluster c, double t, String model) {
        for (int i = 0; i < c.models(); i++) c.server(i).drain(t);
        return c.observe(T0.plusMillis(Math.round(t * 1000))).models().stream().filter(m -> m.model().equals(model)).findFirst().orElseThrow().spec();
    }

    private static ModelSpec spec(String id) {
        return new ModelSpec(id, A100.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null), Map.of(A100.id(), FIVE_SECONDS),
                1, Duration.ZERO, 100, Duration.ofSeconds(900), new Slo(Duration.ofSeconds(60), 0, 0.99), PriorityClass.NORMAL,
                Duration.ofSeconds(20), 0, 4);
    }
}
