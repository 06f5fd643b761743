package io.prescale.simulator.engine;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.policy.Decision;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.cluster.SimulatedCluster;
import io.prescale.simulator.metrics.ModelMetrics;
import io.prescale.simulator.metrics.RunResult;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Busy time counts only where it is billed: inside the scored window and while the replica is on its node (billed
 * to its model, its memory held), so a utilisation is busy / billed over the same time, and busy never exceeds held. One exclusive A100 (one GPU a node), one replica warm from
 * t = 0, requests of 100 s each served one at a time.
 */
class BusyTimeWindowTest {
    static final Offset<Double> EPS = Offset.offset(1e-9);
    static final PoolShape A100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);

    @Test
    void aBatchRunningPastTheWindowEndCountsOnlyUpToTheEnd() {
        // request at 10 s runs 10..110; the window ends at 50: 40 busy seconds of 50 billed = 80 %
        // (before: the whole 100 s was counted, and 100 / 50 was capped to 100 %)
        var c = cluster(10);
        c.finish(50);
        ModelMetrics m = c.server(0).metrics;
        assertThat(m.busySeconds).isCloseTo(40, EPS);
        assertThat(m.busyGpuSeconds).isCloseTo(40, EPS);
        assertThat(m.gpuSeconds).isCloseTo(50, EPS);
        RunResult r = result(c, 50, List.of());
        assertThat(r.totals().meanUtilization()).isCloseTo(0.8, EPS);
        assertThat(r.models().get(0).meanUtilization()).isCloseTo(0.8, EPS);
    }

    @Test
    void aRequestStillQueuedAtTheEndAddsNoBusyTime() {
        // requests at 10 and 20: the second waits for the first (10..110) and runs 110..210, after the end at 150:
        // busy 100 + 40 = 140 of 150 billed (before: 100 + 100 = 200, capped to 100 %)
        var c = cluster(10, 20);
        c.finish(150);
        assertThat(c.server(0).metrics.busySeconds).isCloseTo(140, EPS);
        assertThat(result(c, 150, List.of()).totals().meanUtilization()).isCloseTo(140 / 150.0, EPS);
        // and one queued whose batch starts after the end adds nothing: 10..110 only, window to 100 -> 90 of 100
        var d = cluster(10, 20);
        d.finish(100);
        assertThat(d.server(0).metrics.busySeconds).isCloseTo(90, EPS);
    }

    @Test
    void aFailedReplicaIsBusyOnlyUntilItFails() {
        // the replica dies at 50 in the middle of its 10..110 batch; its GPU is released then: 40 busy of 50 billed
        var c = cluster(10);
        c.server(0).drain(50);
        c.failOneReplica(0, 50);
        c.finish(200);
        ModelMetrics m = c.server(0).metrics;
        assertThat(m.busySeconds).isCloseTo(40, EPS);
        assertThat(m.gpuSeconds).isCloseTo(50, EPS);
        assertThat(result(c, 200, List.of()).totals().meanUtilization()).isCloseTo(0.8, EPS);
    }

    @Test
    void aStoppedReplicaIsBusyOnlyWhileOnItsNode() {
        // scaled to zero at 20 while serving 10..110: the replica leaves its node at 20 (its memory is no longer held,
        // its replica-hours end), so its busy time ends there too: 10 s. The emptied node is billed to this model until
        // the batch ends, 110 s, as idle time: 10 of 110. GPU memory: held 0..20, serving 10..20 of it: idle = slot x
        // 10 s (before: busy 100 s of the 20 s held, and busy memory-time over held memory-time clamped the idle to 0)
        var c = cluster(10);
        var series = new SeriesRecorder(c, 0);
        c.server(0).drain(20);
        c.setNow(20);
        c.apply(new Decision.ScaleModel("m", 0));
        c.server(0).drain(200);
        series.close(200);
        c.finish(200);
        ModelMetrics m = c.server(0).metrics;
        assertThat(m.busySeconds).isCloseTo(10, EPS);
        // the report row the idle recommendation reads: 10 busy of the 20 replica-seconds held
        assertThat(series.rows().get(0).busyReplicaHours() * 3600).isCloseTo(10, Offset.offset(1e-6));
        assertThat(series.rows().get(0).replicaHours() * 3600).isCloseTo(20, Offset.offset(1e-6));
        assertThat(m.gpuSeconds).isCloseTo(110, EPS);
        assertThat(m.residentGpuByteSeconds).isPositive();
        double slot = m.residentGpuByteSeconds / 20;
        assertThat(m.busyGpuByteSeconds).isCloseTo(slot * 10, Offset.offset(1e-3 * slot));
        assertThat(Results.idleGpuMemoryGbHours(m)).isCloseTo(slot * 10 / 1e9 / 3600, Offset.offset(1e-9));
        assertThat(result(c, 200, List.of()).totals().meanUtilization()).isCloseTo(10 / 110.0, EPS);
    }

    @Test
    void aNodeDrainingPastTheWindowEndIsBilledOnlyUpToTheEnd() {
        // scaled to zero at 20 while serving 10..110: its node is released when the batch ends, at 110, after the window's
        // end at 50. Billed 0..50 = 50 s = 50 GPU-seconds (one GPU a node), all of it this model's (20 s with its replica,
        // 30 s draining as spare time, which goes to the pool's one model), busy 10 of it (10..20, while on its node).
        // Before: the drain tail past the end was billed too, 0..110 = 110 s, and attributed to the model
        var c = cluster(10);
        c.server(0).drain(20);
        c.setNow(20);
        c.apply(new Decision.ScaleModel("m", 0));
        c.finish(50);
        ModelMetrics m = c.server(0).metrics;
        RunResult r = result(c, 50, List.of());
        assertThat(r.totals().gpuHours() * 3600).isCloseTo(50, Offset.offset(1e-6));
        assertThat(r.totals().costUsd()).isCloseTo(50 / 3600.0 * A100.pricePerHour(), Offset.offset(1e-9));
        assertThat(m.gpuSeconds).isCloseTo(50, Offset.offset(1e-6));
        assertThat(m.costUsd).isCloseTo(r.totals().costUsd(), Offset.offset(1e-9));
        assertThat(m.busySeconds).isCloseTo(10, EPS);
        assertThat(r.totals().meanUtilization()).isCloseTo(10 / 50.0, Offset.offset(1e-9));
    }

    @Test
    void aDrainTailIsAttributedAsTimePassesNotAheadOfIt() {
        // the same stop at 20 with report rows [0, 60) and [60, 200): the node drains until 110, so the first row holds
        // 20 s of replica time and 40 s of drain (60 s), the second the drain's last 50 s; the run ends at 200: 110 s in all.
        // Before: the whole tail 20..110 was booked into the first row when the node was released (110 s there, 0 after)
        var c = cluster(10);
        var series = new SeriesRecorder(c, 0);
        c.server(0).drain(20);
        c.setNow(20);
        c.apply(new Decision.ScaleModel("m", 0));
        c.server(0).drain(60);
        c.setNow(60);
        series.close(60);
        c.server(0).drain(200);
        c.setNow(200);
        series.closeLast(200);
        c.finish(200);
        var rows = series.rows();
        assertThat(rows.get(0).gpuHours() * 3600).isCloseTo(60, Offset.offset(1e-6));
        assertThat(rows.get(1).gpuHours() * 3600).isCloseTo(50, Offset.offset(1e-6));
        assertThat(c.server(0).metrics.gpuSeconds).isCloseTo(110, Offset.offset(1e-6));
    }

    @Test
    void reportRowsSplitABatchAtTheirBoundary() {
        // rows [0, 50) and [50, 200): the 10..110 batch is 40 s busy in the first and 60 s in the second
        // (before: 100 s in the first row, where it was dispatched, over 50 s of replica time)
        var c = cluster(10);
        var series = new SeriesRecorder(c, 0);
        c.server(0).drain(50);
        series.close(50);
        c.server(0).drain(200);
        series.close(200);
        c.finish(200);
        var rows = series.rows();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).busyReplicaHours() * 3600).isCloseTo(40, Offset.offset(1e-6));
        assertThat(rows.get(0).replicaHours() * 3600).isCloseTo(50, Offset.offset(1e-6));
        assertThat(rows.get(1).busyReplicaHours() * 3600).isCloseTo(60, Offset.offset(1e-6));
        assertThat(c.server(0).metrics.busySeconds).isCloseTo(100, EPS);
    }

    @Test
    void aBatchRunningIntoTheScoredWindowCountsFromItsStart() {
        // a warm-up until 50: the 10..110 batch is busy 60 s of the scored 50..200 (billed 150 s)
        var c = cluster(10);
        c.server(0).drain(50);
        c.startScoring(50);
        c.finish(200);
        ModelMetrics m = c.server(0).metrics;
        assertThat(m.busySeconds).isCloseTo(60, EPS);
        assertThat(m.gpuSeconds).isCloseTo(150, EPS);
        assertThat(result(c, 200, List.of()).totals().meanUtilization()).isCloseTo(0.4, EPS);
    }

    @Test
    void continuousBatchingSpellsAreClippedAtTheEndToo() {
        // iteration-level batching (a per-output-token profile), two slots: requests at 10 (100 s) join an idle
        // replica; the spell runs 10..110 (a lone request is not stretched). The window ends at 60: 50 busy of 60
        var spec = spec(new LatencyProfile(100, 0, 0, 1e-9), 2);
        var c = cluster(spec, 10);
        c.enableContinuousBatching(0);
        c.finish(60);
        assertThat(c.server(0).metrics.busySeconds).isCloseTo(50, Offset.offset(1e-6));
    }

    private static RunResult result(SimulatedCluster c, double end, List<RunResult.SeriesRow> rows) {
        return Results.of("p", Map.of(), c, List.of(c.server(0).spec), end, rows, 0);
    }

    private static SimulatedCluster cluster(double... arrivals) {
        return cluster(spec(LatencyProfile.linear(100, 0), 1), arrivals);
    }

    private static SimulatedCluster cluster(ModelSpec spec, double... arrivals) {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(A100), List.of(spec), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("m", 1));
        c.warmStart();
        for (double t : arrivals) c.server(0).arrive(t, (float) (spec.latency().batchSeconds(1)));
        return c;
    }

    /** A 16 GB model, one replica at most, 600 s timeout, 1,000 s SLO. */
    private static ModelSpec spec(LatencyProfile latency, int maxBatch) {
        return new ModelSpec("m", A100.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(A100.id(), latency), maxBatch, Duration.ZERO, 10, Duration.ofSeconds(600),
                new Slo(Duration.ofSeconds(1000), 0, 0.99), PriorityClass.NORMAL, Duration.ofSeconds(20), 0, 1);
    }
}
