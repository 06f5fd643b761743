package io.prescale.simulator.cluster;

import io.prescale.core.model.ModelSpec;
import io.prescale.core.resource.MigProfile;
import io.prescale.core.resource.SharingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.prescale.simulator.TestSpecs.GB;
import static io.prescale.simulator.TestSpecs.gpu;
import static io.prescale.simulator.TestSpecs.gpuPool;
import static io.prescale.simulator.TestSpecs.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Packing of replicas onto one-GPU nodes under each sharing mode, node release and billing. */
class SimulatedPoolTest {

    static SimulatedPool pool(SharingMode mode) {
        return new SimulatedPool(gpuPool("h100-80gb", 80, mode, 3.6, 180, 1000));
    }

    static List<Replica> placeAll(SimulatedPool p, ModelSpec spec, int n) {
        List<Replica> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(p.place(0, spec, 0));
        return out;
    }

    @Test
    void exclusiveGivesEachReplicaItsOwnNode() {
        SimulatedPool p = pool(SharingMode.EXCLUSIVE);
        List<Replica> rs = placeAll(p, model("small", "h100-80gb", gpu(5 * GB, 0.1, null), Duration.ZERO), 3);
        assertThat(p.activeNodes()).hasSize(3);
        assertThat(rs).extracting(Replica::node).doesNotHaveDuplicates();
        assertThat(rs).allSatisfy(r -> assertThat(r.share).isEqualTo(1.0));
    }

    @Test
    void sevenOneGSlicesFillAnH100AndTheEighthNeedsANewNode() {
        SimulatedPool p = pool(SharingMode.MIG);
        ModelSpec spec = model("tiny", "h100-80gb", gpu(8 * GB, 0.1, "1g.10gb"), Duration.ZERO);
        List<Replica> rs = placeAll(p, spec, 7);
        assertThat(p.activeNodes()).hasSize(1);
        Node n = p.activeNodes().get(0);
        assertThat(n.migSlicesUsed).isEqualTo(7);
        assertThat(n.gpuMemoryUsed).isEqualTo(70 * GB); // 7 x 10 GB slices
        assertThat(rs).allSatisfy(r -> assertThat(r.share).isCloseTo(1 / 7.0, within(1e-12)));
        Replica eighth = p.place(0, spec, 0);
        assertThat(p.activeNodes()).hasSize(2);
        assertThat(eighth.node()).isNotSameAs(n);
    }

    @Test
    void migRespectsPerProfileInstanceLimitsAndMemorySlices() {
        SimulatedPool p = pool(SharingMode.MIG);
        ModelSpec three = model("mid", "h100-80gb", gpu(30 * GB, 0.4, "3g.40gb"), Duration.ZERO);
        ModelSpec four = model("big", "h100-80gb", gpu(30 * GB, 0.5, "4g.40gb"), Duration.ZERO);
        ModelSpec one = model("tiny", "h100-80gb", gpu(5 * GB, 0.1, "1g.10gb"), Duration.ZERO);
        p.place(0, three, 0);
        p.place(0, four, 0); // 3 + 4 = 7 slices, 40 + 40 = 80 GB: same node
        assertThat(p.activeNodes()).hasSize(1);
        p.place(0, one, 0); // no slice or memory left
        assertThat(p.activeNodes()).hasSize(2);
        // 4g.40gb allows one instance per GPU even though slices would remain
        SimulatedPool q = pool(SharingMode.MIG);
        q.place(0, four, 0);
        q.place(0, four, 0);
        assertThat(q.activeNodes()).hasSize(2);
    }

    @Test
    void anH200HoldsTheTwo3g71gbInstancesItsMigTableAllows() {
        // 3g.71gb is half the memory of a 141 GB H200 (70.5 GB): two to a GPU, as MigProfile.perGpu counts them for
        // packing and pricing. At the 71 GB of its name, the second one (142 GB) needed a second GPU
        SimulatedPool p = new SimulatedPool(gpuPool("h200-141gb", 141, SharingMode.MIG, 4.0, 180, 1000));
        ModelSpec spec = model("mid", "h200-141gb", gpu(60 * GB, 0.4, "3g.71gb"), Duration.ZERO);
        placeAll(p, spec, 2);
        assertThat(p.activeNodes()).hasSize(1);
        assertThat(p.activeNodes().get(0).gpuMemoryUsed).isEqualTo(141 * GB);
        assertThat(p.peakMemoryRatio()).isEqualTo(1.0);
    }

    @Test
    void anA100With40GbHoldsFour1g10gbAndSeven1g5gbInstances() {
        // the A100-40GB's 1g.10gb takes two of its eight 5 GB memory slices (placements 0, 2, 4, 6): four to a GPU
        SimulatedPool p = new SimulatedPool(gpuPool("a100-40gb", 40, SharingMode.MIG, 4.1, 180, 1000));
        ModelSpec ten = model("ten", "a100-40gb", gpu(8 * GB, 0.1, null), Duration.ZERO);
        List<Replica> rs = placeAll(p, ten, 4);
        assertThat(rs).allSatisfy(r -> assertThat(r.mig).isEqualTo(MigProfile.P40_1G_10GB));
        assertThat(p.activeNodes()).hasSize(1);
        assertThat(p.activeNodes().get(0).gpuMemoryUsed).isEqualTo(40 * GB);
        assertThat(p.place(0, ten, 0).node()).isNotSameAs(rs.get(0).node());
        SimulatedPool q = new SimulatedPool(gpuPool("a100-40gb", 40, SharingMode.MIG, 4.1, 180, 1000));
        placeAll(q, model("five", "a100-40gb", gpu(4 * GB, 0.1, null), Duration.ZERO), 7); // 1g.5gb: seven to a GPU
        assertThat(q.activeNodes()).hasSize(1);
        assertThat(q.peakMemoryRatio()).isLessThanOrEqualTo(1.0);
    }

    @Test
    void migDerivesTheSmallestProfileFromTheMemoryNeed() {
        SimulatedPool p = pool(SharingMode.MIG);
        Replica r = p.place(0, model("m", "h100-80gb", gpu(15 * GB, 0.1, null), Duration.ZERO), 0);
        assertThat(r.mig).isEqualTo(MigProfile.P80_1G_20GB); // 1 slice, 20 GB is the smallest holding 15 GB
        assertThat(r.memory).isEqualTo(20 * GB);
    }

    @Test
    void mpsComputeSharesNeverExceedOneGpu() {
        SimulatedPool p = pool(SharingMode.MPS);
        ModelSpec spec = model("m", "h100-80gb", gpu(10 * GB, 0.3, null), Duration.ZERO);
        placeAll(p, spec, 3); // 0.9 of the SMs
        assertThat(p.activeNodes()).hasSize(1);
        assertThat(p.activeNodes().get(0).computeUsed).isCloseTo(0.9, within(1e-9));
        p.place(0, spec, 0); // 1.2 > 1: new node
        assertThat(p.activeNodes()).hasSize(2);
        for (Node n : p.activeNodes()) assertThat(n.computeUsed).isLessThanOrEqualTo(1 + 1e-9);
    }

    @Test
    void mpsAndTimeSlicingAreBoundByMemory() {
        for (SharingMode mode : List.of(SharingMode.MPS, SharingMode.TIME_SLICED)) {
            SimulatedPool p = pool(mode);
            placeAll(p, model("m", "h100-80gb", gpu(30 * GB, 0.1, null), Duration.ZERO), 3);
            // 30 + 30 = 60 GB fit in 80 GB, a third would need 90 GB
            assertThat(p.activeNodes()).as(mode.name()).hasSize(2);
            assertThat(p.peakMemoryRatio()).as(mode.name()).isCloseTo(0.75, within(1e-12));
        }
    }

    @Test
    void aReplicaLargerThanTheGpuIsUnplaceableAndLeavesNoNodeBehind() {
        SimulatedPool p = pool(SharingMode.EXCLUSIVE);
        assertThat(p.place(0, model("huge", "h100-80gb", gpu(100 * GB, 1, null), Duration.ZERO), 0)).isNull();
        assertThat(p.unplaceable()).isEqualTo(1);
        assertThat(p.activeNodes()).isEmpty();
        assertThat(p.nodeSeconds(1000)).isZero();
    }

    @Test
    void aFullPoolRefusesMoreNodes() {
        SimulatedPool p = new SimulatedPool(gpuPool("small", 80, SharingMode.EXCLUSIVE, 1, 0, 2));
        ModelSpec spec = model("m", "small", gpu(GB, 1, null), Duration.ZERO);
        assertThat(p.place(0, spec, 0)).isNotNull();
        assertThat(p.place(0, spec, 0)).isNotNull();
        assertThat(p.place(0, spec, 0)).isNull();
        assertThat(p.unplaceable()).isEqualTo(1);
        assertThat(p.activeNodes()).hasSize(2);
    }

    @Test
    void aNodeIsReleasedOnceEmptyAfterItsLastBatch() {
        SimulatedPool p = pool(SharingMode.MPS);
        ModelSpec spec = model("m", "h100-80gb", gpu(10 * GB, 0.3, null), Duration.ZERO);
        Replica a = p.place(0, spec, 0);
        Replica b = p.place(0, spec, 0);
        p.detach(a, 50, 50);
        assertThat(p.activeNodes()).hasSize(1);
        p.detach(b, 60, 75); // b still finishes a batch until 75
        assertThat(p.activeNodes()).isEmpty();
        assertThat(p.releasedNodeCount()).isEqualTo(1);
        assertThat(b.node().releasedAt).isEqualTo(75.0);
    }

    @Test
    void aSpotNodeTakenBackWhileDrainingIsBilledUntilThen() {
        // a node whose last replica left at 60 with a batch until 75 is released at 75; the provider takes it back at 70:
        // billed 0..70, not 0..75
        SimulatedPool p = pool(SharingMode.EXCLUSIVE);
        Replica a = p.place(0, model("m", "h100-80gb", gpu(GB, 1, null), Duration.ZERO), 0);
        int id = a.node().id();
        p.now = 60;
        p.detach(a, 60, 75);
        assertThat(p.activeNode(id)).isNull();
        p.now = 70;
        Node n = p.drainingNode(id);
        assertThat(n).isNotNull();
        p.reclaim(n, 70);
        assertThat(p.nodeSeconds(1000)).isCloseTo(70.0, within(1e-9));
        assertThat(p.drainingNode(id)).isNull();
        assertThat(p.nodesBilled()).isZero();
    }

    @Test
    void warmNodesStayEvenWhenEmpty() {
        SimulatedPool p = pool(SharingMode.EXCLUSIVE);
        p.keepWarm(2, 0);
        assertThat(p.activeNodes()).hasSize(2);
        Replica r = p.place(0, model("m", "h100-80gb", gpu(GB, 1, null), Duration.ZERO), 0);
        p.detach(r, 10, 10);
        assertThat(p.activeNodes()).hasSize(2);
        p.keepWarm(0, 20);
        assertThat(p.activeNodes()).isEmpty();
    }

    @Test
    void billingRunsFromProvisioningStartToRelease() {
        // 180 s provisioning, $3.60 per node-hour, 60 s model load
        SimulatedPool p = pool(SharingMode.EXCLUSIVE);
        Replica r = p.place(0, model("m", "h100-80gb", gpu(GB, 1, null), Duration.ofSeconds(60)), 100);
        assertThat(r.node().readyAt).isEqualTo(280.0);  // 100 + 180
        assertThat(r.readyAt).isEqualTo(340.0);         // node ready + 60 s load
        p.now = 200;
        assertThat(p.nodesReady()).isZero();
        assertThat(p.nodesProvisioning()).isEqualTo(1);
        assertThat(p.nodeSeconds(200)).isEqualTo(100.0); // paid while provisioning
        p.detach(r, 1000, 1100);                         // its last batch ends at 1100
        // billed 100 .. 1100 = 1000 s = 1000 / 3600 h x $3.60 = $1.00
        assertThat(p.nodeSeconds(5000)).isCloseTo(1000.0, within(1e-9));
        assertThat(p.gpuSeconds(5000)).isCloseTo(1000.0, within(1e-9));
        assertThat(p.costUsd(5000)).isCloseTo(1.0, within(1e-9));
    }

    @ParameterizedTest
    @EnumSource(SharingMode.class)
    void memoryNeverExceedsCapacityOverRandomPlacementsAndRemovals(SharingMode mode) {
        Random rnd = new Random(1234 + mode.ordinal());
        SimulatedPool p = new SimulatedPool(gpuPool("h100-80gb", 80, mode, 3.6, 180, 40));
        List<MigProfile> migs = MigProfile.forGpuMemory(80 * GB);
        List<Replica> live = new ArrayList<>();
        double t = 0;
        for (int op = 0; op < 3000; op++) {
            t += rnd.nextDouble();
            if (live.isEmpty() || rnd.nextDouble() < 0.6) {
                long mem = (1 + rnd.nextInt(90)) * GB; // sometimes larger than the GPU
                String mig = mode == SharingMode.MIG && rnd.nextBoolean() ? migs.get(rnd.nextInt(migs.size())).id() : null;
                double share = 0.05 + 0.95 * rnd.nextDouble();
                Replica r = p.place(0, model("m" + op, "h100-80gb", gpu(mem, share, mig), Duration.ZERO), t);
                if (r != null) live.add(r);
            } else {
                Replica r = live.remove(rnd.nextInt(live.size()));
                p.detach(r, t, t);
            }
            for (Node n : p.activeNodes()) {
                assertThat(n.gpuMemoryUsed).isLessThanOrEqualTo(80 * GB);
                assertThat(n.residents.stream().mapToLong(x -> x.memory).sum()).isEqualTo(n.gpuMemoryUsed);
                if (mode == SharingMode.MPS) assertThat(n.computeUsed).isLessThanOrEqualTo(1 + 1e-9);
                if (mode == SharingMode.MIG) {
                    assertThat(n.migSlicesUsed).isLessThanOrEqualTo(7);
                    // every instance at one of its profile's placements, no memory slice held twice
                    int mask = 0;
                    for (Replica x : n.residents) {
                        assertThat(x.mig.placeableAt(x.migStart)).as(x.mig.id() + " at " + x.migStart).isTrue();
                        assertThat(mask & x.mig.sliceMask(x.migStart)).isZero();
                        mask |= x.mig.sliceMask(x.migStart);
                    }
                    assertThat(n.migMask).isEqualTo(mask);
                }
                if (mode == SharingMode.EXCLUSIVE) assertThat(n.residents).hasSizeLessThanOrEqualTo(1);
            }
            // no warm minimum: an emptied node is released at once
            assertThat(p.activeNodes()).allSatisfy(n -> assertThat(n.residents).isNotEmpty());
        }
        assertThat(p.peakMemoryRatio()).isBetween(0.0, 1.0);
        assertThat(p.gpuMemoryUsedBytes()).isLessThanOrEqualTo(p.gpuMemoryCapacityBytes());
    }
}
