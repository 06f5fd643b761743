package io.prescale.simulator.cluster;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Interference by co-located load: a neighbour slows a replica in proportion to how busy it was over the
 * last control interval, and the load-aware packer lets idle replicas' SM caps be oversubscribed.
 * Pools provision in 60 s and models load in 10 s, so a replica placed at 0 is ready at 70.
 */
class LoadInterferenceTest {

    static PoolShape shape(SharingMode mode) {
        return new PoolShape("gpu", "test", 1, 80_000_000_000L, 8, 0, 1.0, Duration.ofSeconds(60), mode, 0, 100, "test");
    }

    static ModelSpec spec(double compute) {
        return new ModelSpec("m", "gpu", new ResourceNeeds(1, 0, 16_000_000_000L, compute, null),
                Map.of("gpu", LatencyProfile.linear(1, 0)), 1, Duration.ZERO, 100, Duration.ofSeconds(30),
                new Slo(Duration.ofSeconds(5), 0, 0.99), PriorityClass.NORMAL, Duration.ofSeconds(10), 0, 10);
    }

    /** Records a batch on {@code r} over [start, end), as the model server does when it dispatches one. */
    static void ran(Replica r, double start, double end) {
        r.busyTotal += end - start;
        r.busyEnd = end;
    }

    @Test
    void anIdleNeighbourCostsNothingAndABusyOneItsShare() {
        SimulatedPool pool = new SimulatedPool(shape(SharingMode.MPS));
        Replica a = pool.place(0, spec(0.5), 0), b = pool.place(1, spec(0.5), 0);
        assertThat(b.node).isSameAs(a.node);
        // both still loading (ready at 70): neither computes, neither slows the other
        assertThat(a.slowdown).isEqualTo(1.0);
        // ready but not measured yet: each counts the other as fully busy, max(1, 0.5 + 0.5) x (1 + 0.05 x 1)
        Interference.update(a.node, SharingMode.MPS, 75);
        assertThat(a.slowdown).isCloseTo(1.05, within(1e-12));
        ran(a, 80, 90); // a busy 10 of the 30 s since it became ready, b idle
        pool.measureInterference(100);
        assertThat(a.load).isCloseTo(10 / 30.0, within(1e-12));
        assertThat(b.load).isZero();
        assertThat(a.slowdown).isEqualTo(1.0);                                  // its neighbour never ran
        assertThat(b.slowdown).isCloseTo(1 + 0.05 / 3, within(1e-12));          // 1 x (1 + 0.05 x 1/3)
    }

    @Test
    void aBatchStillRunningCountsOnlyUpToTheMeasurement() {
        SimulatedPool pool = new SimulatedPool(shape(SharingMode.TIME_SLICED));
        Replica a = pool.place(0, spec(0.6), 0), b = pool.place(1, spec(0.6), 0);
        ran(a, 70, 100);
        ran(b, 90, 110);  // 10 of its 20 s fall before 100
        pool.measureInterference(100);
        assertThat(a.load).isEqualTo(1.0);
        assertThat(b.load).isCloseTo(10 / 30.0, within(1e-12));
        // one context at a time: a's neighbour takes its turn a third of the time, (1 + 1/3) x (1 + 0.1 x 1/3);
        // b's neighbour always: (1 + 1) x (1 + 0.1 x 1)
        assertThat(a.slowdown).isCloseTo((1 + 1 / 3.0) * (1 + 0.1 / 3), within(1e-12));
        assertThat(b.slowdown).isCloseTo(2 * 1.1, within(1e-12));
        // the next interval starts where this one ended: b's remaining 10 s and nothing else
        pool.measureInterference(130);
        assertThat(b.load).isCloseTo(10 / 30.0, within(1e-12));
        assertThat(a.load).isZero();
    }

    @Test
    void mpsRunsBusyReplicasTogetherUntilTheirComputeExceedsTheGpu() {
        SimulatedPool pool = new SimulatedPool(shape(SharingMode.MPS));
        pool.setPacker(SimulatedPool.Packer.LOAD_AWARE);
        Replica a = pool.place(0, spec(0.5), 0), b = pool.place(1, spec(0.5), 0);
        pool.measureInterference(100);                 // both idle: a third fits on the same GPU
        Replica c = pool.place(2, spec(0.5), 100);
        assertThat(c.node).isSameAs(a.node);
        ran(a, 100, 130);
        ran(b, 100, 130);
        ran(c, 115, 130);
        pool.measureInterference(130);                 // c became ready at 110: busy 15 of 20 s
        assertThat(c.load).isCloseTo(0.75, within(1e-12));
        // a: 0.5 + 0.5 x 1 + 0.5 x 0.75 = 1.375 SMs wanted, x (1 + 0.05 x 1.75); c: 0.5 + 0.5 + 0.5 = 1.5, x (1 + 0.05 x 2)
        assertThat(a.slowdown).isCloseTo(1.375 * (1 + 0.05 * 1.75), within(1e-12));
        assertThat(c.slowdown).isCloseTo(1.5 * 1.1, within(1e-12));
    }

    @Test
    void aReplicaStillLoadingSlowsNoOne() {
        SimulatedPool pool = new SimulatedPool(shape(SharingMode.TIME_SLICED));
        Replica a = pool.place(0, spec(0.5), 0);
        ran(a, 70, 100);
        pool.measureInterference(100);
        assertThat(a.slowdown).isEqualTo(1.0);
        Replica b = pool.place(1, spec(0.5), 100);   // on a's node, loading until 110, counted busy for packing
        assertThat(b.node).isSameAs(a.node);
        assertThat(b.load).isEqualTo(1.0);
        assertThat(a.slowdown).isEqualTo(1.0);        // not (1 + 1) x 1.1 while b only loads
        Interference.update(a.node, SharingMode.TIME_SLICED, 110);
        assertThat(a.slowdown).isCloseTo(2 * 1.1, within(1e-12)); // ready and not measured: its turn counts in full
    }

    @Test
    void aReplicaMeasuredWhileLoadingStillCountsAsBusyForPacking() {
        SimulatedPool pool = new SimulatedPool(shape(SharingMode.MPS));
        pool.setPacker(SimulatedPool.Packer.LOAD_AWARE);
        Replica a = pool.place(0, spec(0.5), 0);       // loading until 70
        pool.measureInterference(50);
        assertThat(a.load).isEqualTo(1.0);            // not the 0 it computes while it loads
        assertThat(a.slowdown).isEqualTo(1.0);
        // busy compute 0.5 + 0.5 fits; a third 0.5 would be 1.5: a second GPU (counted idle, all three would share one)
        assertThat(pool.place(1, spec(0.5), 50).node).isSameAs(a.node);
        assertThat(pool.place(2, spec(0.5), 50).node).isNotSameAs(a.node);
    }

    @Test
    void theLoadAwarePackerOversubscribesOnlyIdleCaps() {
        SimulatedPool ff = new SimulatedPool(shape(SharingMode.MPS));
        SimulatedPool la = new SimulatedPool(shape(SharingMode.MPS));
        la.setPacker(SimulatedPool.Packer.LOAD_AWARE);
        for (SimulatedPool p : new SimulatedPool[]{ff, la}) {
            p.place(0, spec(0.5), 0);
            p.place(1, spec(0.5), 0); // unmeasured neighbours count as busy: 0.5 + 0.5 fits, the pair shares a GPU
        }
        assertThat(la.activeNodes()).hasSize(1);
        // both idle since they became ready
        ff.measureInterference(100);
        la.measureInterference(100);
        assertThat(ff.place(2, spec(0.5), 100).node.id).isEqualTo(1); // SM caps reserved: 1.0 + 0.5 > 1, a second GPU
        Replica third = la.place(2, spec(0.5), 100);
        assertThat(third.node.id).isZero();                             // busy compute 0 + 0.5 fits
        // the newcomer counts as busy until measured: its 0.5 plus a fourth 0.5 is 1, which fits
        assertThat(la.place(3, spec(0.5), 100).node.id).isZero();
        // a fifth would make the unmeasured busy compute 1.5: a new GPU, though 16 GB x 5 would fit in memory
        assertThat(la.place(4, spec(0.5), 100).node.id).isEqualTo(1);
        assertThat(la.peakMemoryRatio()).isLessThanOrEqualTo(1.0);
    }
}
