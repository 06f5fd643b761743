package io.prescale.simulator.cluster;

import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.Decision;
import io.prescale.core.resource.MigProfile;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.prescale.simulator.TestSpecs.GB;
import static io.prescale.simulator.TestSpecs.gpu;
import static io.prescale.simulator.TestSpecs.gpuPool;
import static io.prescale.simulator.TestSpecs.model;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MIG instances sit at NVIDIA's fixed placements (memory slice starts: 1g {0..6}, 1g.20gb {0,2,4,6}, 2g {0,2,4},
 * 3g {0,4}, 4g {0}, 7g {0}); a GPU whose free slices no placement of a profile covers is fragmented for it, and
 * either a new GPU is provisioned or the fragmented one is reconfigured, which drains it first.
 */
class MigPlacementTest {
    static final String POOL = "h100-80gb";
    static final ModelSpec ONE_G = model("one-g", POOL, gpu(8 * GB, 0.1, "1g.10gb"), Duration.ofSeconds(10));
    static final ModelSpec THREE_G = model("three-g", POOL, gpu(30 * GB, 0.4, "3g.40gb"), Duration.ofSeconds(20));

    static SimulatedPool pool(int maxNodes) {
        return new SimulatedPool(gpuPool(POOL, 80, SharingMode.MIG, 3.6, 60, maxNodes));
    }

    static List<Integer> starts(Node n) {
        return n.residents.stream().map(r -> r.migStart).toList();
    }

    @Test
    void smallInstancesFillFromTheTopSoTheLargePlacementsAtSliceZeroStayFree() {
        // on an empty GPU a 1g at slice 6 blocks the 1g and 1g.20gb at 6, the 3g at 4 and the 7g: 1+2+4+8 = 15 memory
        // slices of placements; at slice 0 it would block 1g, 1g.20gb, 2g, 3g and 4g at 0 and the 7g: 1+2+2+4+4+8 = 21.
        // The next ones go to 5 and 4 (each blocks 5: its 1g, the 1g.20gb and 2g at 4; at 0-3 they would block 13),
        // then 3 (13 anywhere in 0-3, the higher start on a tie)
        SimulatedPool p = pool(10);
        for (int k = 0; k < 4; k++) p.place(0, ONE_G, 0);
        Node n = p.activeNodes().get(0);
        assertThat(starts(n)).containsExactly(6, 5, 4, 3);
        assertThat(n.migMask).isEqualTo(0b0111_1000);
        // a 4g.40gb still fits at slice 0: slices 0-3 were kept free (3 + 4 = 7 compute slices)
        ModelSpec fourG = model("four-g", POOL, gpu(30 * GB, 0.5, "4g.40gb"), Duration.ZERO);
        p.detach(n.residents.get(3), 1, 1); // the 1g at slice 3
        assertThat(p.place(0, fourG, 1).migStart).isEqualTo(0);
        assertThat(p.activeNodes()).hasSize(1);
    }

    /** Four 1g.10gb at slices 6, 5, 4, 3; the ones at 6 and 4 leave: slices 3 and 5 stay held. */
    static Node fragmented(SimulatedPool p) {
        for (int k = 0; k < 4; k++) p.place(0, ONE_G, 0);
        Node n = p.activeNodes().get(0);
        p.detach(n.residents.get(2), 1, 1); // slice 4
        p.detach(n.residents.get(0), 1, 1); // slice 6
        assertThat(starts(n)).containsExactly(5, 3);
        return n;
    }

    @Test
    void a3gCannotStartAtSlice2SoAFragmentedGpuTakesNoneAndANewGpuIsProvisioned() {
        SimulatedPool p = pool(10);
        Node n = fragmented(p);
        // 5 compute slices and 60 GB are free, which is all the former count-based check asked of a 3g.40gb (3 slices,
        // 40 GB, fewer than 2 instances); but a 3g starts at slice 0 (0-3, slice 3 held) or 4 (4-7, slice 5 held) only
        assertThat(MigProfile.P80_3G_40GB.placeableAt(2)).isFalse();
        assertThat(7 - n.migSlicesUsed).isEqualTo(5);
        assertThat(80 * GB - n.gpuMemoryUsed).isEqualTo(60 * GB);
        Replica r = p.place(1, THREE_G, 2);
        assertThat(r.node()).isNotSameAs(n);
        assertThat(p.activeNodes()).hasSize(2);
        assertThat(r.migStart).isEqualTo(4); // an empty GPU's 3g: at 4 it blocks 21 memory slices of placements, at 0 28
        // a 2g.20gb still finds slices 0-1 on the fragmented GPU (2 and 4 are blocked by slices 3 and 5)
        Replica two = p.place(2, model("two-g", POOL, gpu(15 * GB, 0.2, "2g.20gb"), Duration.ZERO), 3);
        assertThat(two.node()).isSameAs(n);
        assertThat(two.migStart).isEqualTo(0);
        assertThat(p.peakMemoryRatio()).isLessThanOrEqualTo(1.0);
    }

    @Test
    void aLayoutIsFoundWheneverOneExists() {
        SimulatedPool p = pool(1);
        MigProfile one = MigProfile.P80_1G_10GB, three = MigProfile.P80_3G_40GB, four = MigProfile.P80_4G_40GB;
        // largest first: the 3g at 4 (it leaves more room than at 0), then the 1g's at 3 and 2
        assertThat(p.migLayout(List.of(one, three, one))).containsExactly(3, 4, 2);
        assertThat(p.migLayout(List.of(three, four))).containsExactly(4, 0);
        assertThat(p.migLayout(List.of(four, four))).isNull();                   // one placement only
        assertThat(p.migLayout(List.of(three, three, one))).isNull();            // 3 + 3 + 1 slices, but no memory slice left
        assertThat(p.migLayout(List.of(MigProfile.P80_7G_80GB, one))).isNull();
        assertThat(p.migLayout(List.of(one, one, one, one, one, one, one))).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
    }

    static final PoolShape ONE_GPU = gpuPool(POOL, 80, SharingMode.MIG, 3.6, 60, 1);

    /**
     * One H100 (the pool's maximum), provisioned at 0 and ready at 60 s. a and b take a 1g.10gb each in turn
     * (a at slice 6, b at 5, a at 4, b at 3); loaded at 70 s. At 100 s a is scaled away: b holds slices 3 and 5.
     */
    static SimulatedCluster fragmentedCluster() {
        ModelSpec a = model("a", POOL, gpu(8 * GB, 0.1, "1g.10gb"), Duration.ofSeconds(10));
        ModelSpec b = model("b", POOL, gpu(8 * GB, 0.1, "1g.10gb"), Duration.ofSeconds(10));
        ModelSpec mid = model("mid", POOL, gpu(30 * GB, 0.4, "3g.40gb"), Duration.ofSeconds(20));
        var c = new SimulatedCluster(Instant.EPOCH, List.of(ONE_GPU), List.of(a, b, mid), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("a", 1));
        c.apply(new Decision.ScaleModel("b", 1));
        c.apply(new Decision.ScaleModel("a", 2));
        c.apply(new Decision.ScaleModel("b", 2));
        c.setNow(100);
        c.apply(new Decision.ScaleModel("a", 0));
        Node n = c.pools().iterator().next().activeNodes().get(0);
        assertThat(starts(n)).containsExactlyInAnyOrder(5, 3);
        return c;
    }

    @Test
    void aFragmentedGpuIsReconfiguredWhenThePoolCannotGrowAndTheReconfigurationDrainsIt() {
        SimulatedCluster c = fragmentedCluster();
        SimulatedPool pool = c.pools().iterator().next();
        Node n = pool.activeNodes().get(0);
        List<Replica> before = c.server(1).replicas();
        // b is busy until 104 s: a 5 s request arrives at 99 s and is dispatched at 99.01 s (10 ms batching delay)
        c.server(1).arrive(99, 5f);
        c.server(1).drain(100);
        double busyUntil = before.stream().mapToDouble(Replica::servingUntil).max().orElseThrow();
        assertThat(busyUntil).isEqualTo(99.01 + 5, org.assertj.core.data.Offset.offset(1e-9));
        c.apply(new Decision.ScaleModel("mid", 1)); // no free 3g placement, no second GPU to be had
        assertThat(c.migReconfigurations()).isEqualTo(1);
        assertThat(pool.activeNodes()).containsExactly(n);
        // the drain: b's replicas are stopped, the GPU is re-laid out 60 s (the default delay) after b's batch ends
        assertThat(before).allSatisfy(r -> assertThat(r.heapIndex).isEqualTo(-1));
        assertThat(n.readyAt).isEqualTo(busyUntil + 60, org.assertj.core.data.Offset.offset(1e-9));
        // the new layout: mid's 3g at slice 4, b's two 1g at 3 and 2; every replica on it loads after the reconfiguration,
        // so none serves on the GPU while it is reconfigured
        assertThat(n.residents).hasSize(3).noneMatch(before::contains);
        assertThat(n.residents).allSatisfy(r -> assertThat(r.readyAt).isGreaterThanOrEqualTo(n.readyAt + 10));
        assertThat(c.server(2).replicas().get(0).migStart).isEqualTo(4);
        assertThat(c.server(2).replicas().get(0).readyAt).isEqualTo(n.readyAt + 20);
        assertThat(c.server(1).replicas()).extracting(r -> r.migStart).containsExactlyInAnyOrder(3, 2);
        assertThat(c.server(1).replicaCount()).isEqualTo(2); // b keeps its replicas, started again
        assertThat(n.gpuMemoryUsed).isEqualTo(40 * GB + 2 * 10 * GB);
        assertThat(pool.peakMemoryRatio()).isLessThanOrEqualTo(1.0);
        assertThat(c.coldStarts()).isEqualTo(4 + 2 + 1); // the first four, b's two restarts, mid's
        // while it is reconfigured the GPU counts as not ready
        assertThat(pool.nodesReady()).isZero();
    }

    @Test
    void aPoolThatCanGrowTakesANewGpuAndStopsNothing() {
        PoolShape two = gpuPool(POOL, 80, SharingMode.MIG, 3.6, 60, 2);
        ModelSpec a = model("a", POOL, gpu(8 * GB, 0.1, "1g.10gb"), Duration.ofSeconds(10));
        ModelSpec b = model("b", POOL, gpu(8 * GB, 0.1, "1g.10gb"), Duration.ofSeconds(10));
        ModelSpec mid = model("mid", POOL, gpu(30 * GB, 0.4, "3g.40gb"), Duration.ofSeconds(20));
        var c = new SimulatedCluster(Instant.EPOCH, List.of(two), List.of(a, b, mid), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        for (int k = 1; k <= 2; k++) {
            c.apply(new Decision.ScaleModel("a", k));
            c.apply(new Decision.ScaleModel("b", k));
        }
        c.setNow(100);
        c.apply(new Decision.ScaleModel("a", 0));
        List<Replica> before = c.server(1).replicas();
        c.apply(new Decision.ScaleModel("mid", 1));
        assertThat(c.migReconfigurations()).isZero();
        assertThat(c.pools().iterator().next().activeNodes()).hasSize(2);
        assertThat(c.server(1).replicas()).containsExactlyInAnyOrderElementsOf(before);
        // with consolidation on (it trades SLO margin for GPU-hours) the fragmented GPU is reconfigured instead
        var d = new SimulatedCluster(Instant.EPOCH, List.of(two), List.of(a, b, mid), SimulatedCluster.Gaps.NONE);
        d.enableConsolidation();
        d.setNow(0);
        for (int k = 1; k <= 2; k++) {
            d.apply(new Decision.ScaleModel("a", k));
            d.apply(new Decision.ScaleModel("b", k));
        }
        d.setNow(100);
        d.apply(new Decision.ScaleModel("a", 0));
        d.apply(new Decision.ScaleModel("mid", 1));
        assertThat(d.migReconfigurations()).isEqualTo(1);
        assertThat(d.pools().iterator().next().activeNodes()).hasSize(1);
    }

    @Test
    void aReplicaBeingMovedOffAReconfiguredGpuIsNotStartedTwice() {
        // two H100s, consolidation on. GPU0: four (4g at slice 0), y (1g at 6), two fillers (1g at 5 and 4): full.
        // GPU1: z, x, z, x at 6, 5, 4, 3. Loaded by 70 s; at 100 s z and the filler leave: GPU0 {4g at 0, 1g at 6},
        // GPU1 {x at 5, x at 3}, fragmented for a 3g
        PoolShape two = gpuPool(POOL, 80, SharingMode.MIG, 3.6, 60, 2);
        ModelSpec four = model("four", POOL, gpu(30 * GB, 0.5, "4g.40gb"), Duration.ofSeconds(10));
        ModelSpec y = model("y", POOL, gpu(8 * GB, 0.1, "1g.10gb"), Duration.ofSeconds(10));
        ModelSpec filler = model("filler", POOL, gpu(8 * GB, 0.1, "1g.10gb"), Duration.ofSeconds(10));
        ModelSpec z = model("z", POOL, gpu(8 * GB, 0.1, "1g.10gb"), Duration.ofSeconds(10));
        ModelSpec x = model("x", POOL, gpu(8 * GB, 0.1, "1g.10gb"), Duration.ofSeconds(10));
        ModelSpec mid = model("mid", POOL, gpu(30 * GB, 0.4, "3g.40gb"), Duration.ofSeconds(20));
        var c = new SimulatedCluster(Instant.EPOCH, List.of(two), List.of(four, y, filler, z, x, mid), SimulatedCluster.Gaps.NONE);
        c.enableConsolidation();
        c.setNow(0);
        c.apply(new Decision.ScaleModel("four", 1));
        c.apply(new Decision.ScaleModel("y", 1));
        c.apply(new Decision.ScaleModel("filler", 2));
        c.apply(new Decision.ScaleModel("z", 1));
        c.apply(new Decision.ScaleModel("x", 1));
        c.apply(new Decision.ScaleModel("z", 2));
        c.apply(new Decision.ScaleModel("x", 2));
        SimulatedPool pool = c.pools().iterator().next();
        Node gpu0 = pool.activeNodes().get(0), gpu1 = pool.activeNodes().get(1);
        assertThat(starts(gpu0)).containsExactly(0, 6, 5, 4);
        assertThat(starts(gpu1)).containsExactly(6, 5, 4, 3);
        c.observe(Instant.EPOCH.plusSeconds(100));
        c.apply(new Decision.ScaleModel("z", 0));
        c.apply(new Decision.ScaleModel("filler", 0));
        // the consolidation drains GPU1 (2 of 7 slices against GPU0's 5): x's replacements load on GPU0 at 5 and 4
        c.observe(Instant.EPOCH.plusSeconds(200));
        assertThat(c.migratingReplicas(4)).isEqualTo(2);
        // mid finds no 3g placement (GPU0: 4g at 0-3, 1g at 6; GPU1: x at 3 and 5): GPU1 is reconfigured. x's old
        // replicas stop; their replacements on GPU0 stand for them: not started again (x kept 4 before)
        c.apply(new Decision.ScaleModel("mid", 1));
        assertThat(c.migReconfigurations()).isEqualTo(1);
        assertThat(c.migratingReplicas(4)).isZero();
        assertThat(c.server(4).replicaCount()).isEqualTo(2);
        assertThat(c.server(4).replicas()).allSatisfy(r -> assertThat(r.node()).isSameAs(gpu0));
        assertThat(gpu1.residents).extracting(r -> r.model).containsExactly(5);
        assertThat(gpu1.residents.get(0).migStart).isEqualTo(4);
        assertThat(gpu0.gpuMemoryUsed).isLessThanOrEqualTo(80 * GB);
    }
}
