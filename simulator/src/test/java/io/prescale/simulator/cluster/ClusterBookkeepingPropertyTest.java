package io.prescale.simulator.cluster;

import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.Decision;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.prescale.simulator.TestSpecs.GB;
import static io.prescale.simulator.TestSpecs.gpu;
import static io.prescale.simulator.TestSpecs.model;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random scale decisions, spare nodes, failures, spot notices and interruptions, in every sharing mode with every
 * packer, with and without consolidation (MIG reconfigurations included, on small pools): after every step a node's
 * memory, compute and MIG slice counts are its residents' (no two MIG instances share a memory slice, each at one
 * of its profile's placements), no GPU holds more memory than it has, an exclusive GPU holds one replica, and at
 * the end the per-model costs add up to the pool bill (seeded: the same 100 cases every run).
 */
class ClusterBookkeepingPropertyTest {
    private static final String[] PROFILES = {"1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb", null};

    @Test
    void nodesAgreeWithTheirResidentsAndTheBillIsAttributedInFull() {
        for (int seed = 0; seed < 100; seed++) {
            Random rnd = new Random(seed);
            SharingMode mode = SharingMode.values()[rnd.nextInt(4)];
            PoolShape shape = new PoolShape("p", "t", 1, 80 * GB, 16, 0, 1 + rnd.nextInt(5), Duration.ofSeconds(rnd.nextInt(3) * 30L),
                    mode, rnd.nextInt(2), 3 + rnd.nextInt(6), "t");
            List<ModelSpec> models = new ArrayList<>();
            int nm = 1 + rnd.nextInt(4);
            for (int i = 0; i < nm; i++) {
                String profile = mode == SharingMode.MIG ? PROFILES[rnd.nextInt(PROFILES.length)] : null;
                long memory = profile == null ? (1 + rnd.nextInt(40)) * GB : 5 * GB;
                models.add(model("m" + i, "p", gpu(memory, 0.05 + rnd.nextDouble() * 0.9, profile), Duration.ofSeconds(rnd.nextInt(3) * 10L)));
            }
            var c = new SimulatedCluster(Instant.EPOCH, List.of(shape), models, SimulatedCluster.Gaps.NONE);
            if (rnd.nextBoolean()) c.enableConsolidation();
            c.setPacker(SimulatedPool.Packer.values()[rnd.nextInt(SimulatedPool.Packer.values().length)]);
            SimulatedPool pool = c.pools().iterator().next();
            String where = "seed " + seed + " (" + mode + ")";
            double t = 0;
            int noticed = -1;
            for (int step = 0; step < 60; step++) {
                t += rnd.nextInt(4) * 15;
                c.observe(Instant.EPOCH.plusSeconds((long) t));
                List<Decision> ds = new ArrayList<>();
                for (int i = 0; i < nm; i++) if (rnd.nextInt(3) == 0) ds.add(new Decision.ScaleModel("m" + i, rnd.nextInt(6)));
                if (rnd.nextInt(5) == 0) ds.add(new Decision.ResizePool("p", rnd.nextInt(4)));
                c.applyAll(ds);
                if (rnd.nextInt(10) == 0) c.failOneReplica(rnd.nextInt(nm), t);
                if (step == 20) c.startScoring(t);
                if (rnd.nextInt(8) == 0 && !pool.activeNodes().isEmpty()) {
                    int id = pool.activeNodes().get(rnd.nextInt(pool.activeNodes().size())).id;
                    c.spotNotice("p", id, t);
                    if (rnd.nextBoolean()) c.spotInterrupt("p", id, t);
                    else noticed = id;
                } else if (noticed >= 0 && rnd.nextBoolean()) {
                    c.spotInterrupt("p", noticed, t);
                    noticed = -1;
                }
                for (Node n : pool.activeNodes()) checkNode(n, shape, where + " step " + step);
            }
            c.finish(t + 100);
            double attributed = c.unattributedUsd();
            for (int i = 0; i < nm; i++) attributed += c.server(i).metrics.costUsd;
            assertThat(attributed).as(where).isCloseTo(pool.costUsd(t + 100), org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, pool.costUsd(t + 100))));
            assertThat(pool.peakMemoryRatio()).as(where).isLessThanOrEqualTo(1.0);
        }
    }

    private static void checkNode(Node n, PoolShape shape, String where) {
        long memory = 0;
        double compute = 0;
        int slices = 0, mask = 0;
        for (Replica r : n.residents) {
            assertThat(r.node).as(where).isSameAs(n);
            memory += r.memory;
            compute += r.compute;
            if (r.mig != null) {
                assertThat(r.mig.placeableAt(r.migStart)).as(where + ": " + r.mig.id() + " at " + r.migStart).isTrue();
                int m = r.mig.sliceMask(r.migStart);
                assertThat(mask & m).as(where + ": MIG instances sharing a memory slice").isZero();
                mask |= m;
                slices += r.mig.computeSlices();
            }
        }
        assertThat(n.gpuMemoryUsed).as(where).isEqualTo(memory).isLessThanOrEqualTo(shape.gpuMemoryBytes());
        assertThat(n.computeUsed).as(where).isCloseTo(compute, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(n.migSlicesUsed).as(where).isEqualTo(slices).isLessThanOrEqualTo(7);
        assertThat(n.migMask).as(where).isEqualTo(mask);
        if (shape.sharing() == SharingMode.EXCLUSIVE) assertThat(n.residents).as(where).hasSizeLessThanOrEqualTo(1);
    }
}
