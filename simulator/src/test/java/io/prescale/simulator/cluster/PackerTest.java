package io.prescale.simulator.cluster;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import org.junit.jupiter.api.Test;

import io.prescale.core.policy.Decision;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Best fit and first-fit decreasing pack mixed replica sizes onto fewer GPUs than first fit; none ever exceeds a
 * GPU's memory.
 */
class PackerTest {
    static final PoolShape MPS_80GB = new PoolShape("gpu", "test", 1, 80_000_000_000L, 8, 0, 1.0, Duration.ofSeconds(60),
            SharingMode.MPS, 0, 100, "test");

    static ModelSpec spec(long gb) {
        return spec("m" + gb, gb);
    }

    static ModelSpec spec(String id, long gb) {
        return new ModelSpec(id, "gpu", new ResourceNeeds(1, 0, gb * 1_000_000_000L, 0.1, null),
                Map.of("gpu", LatencyProfile.linear(0.1, 0.01)), 4, Duration.ZERO, 100, Duration.ofSeconds(30),
                new Slo(Duration.ofSeconds(1), 0, 0.99), PriorityClass.NORMAL, Duration.ofSeconds(10), 0, 10);
    }

    /** Places 40, 50, 30 and 40 GB replicas (compute shares 0.1 each, so memory decides) and counts the GPUs. */
    static int gpusUsed(SimulatedPool.Packer packer) {
        SimulatedPool pool = new SimulatedPool(MPS_80GB);
        pool.setPacker(packer);
        for (long gb : new long[]{40, 50, 30, 40}) assertThat(pool.place(0, spec(gb), 0)).isNotNull();
        assertThat(pool.peakMemoryRatio()).isLessThanOrEqualTo(1.0);
        return pool.activeNodes().size();
    }

    @Test
    void bestFitUsesFewerGpusOnMixedSizes() {
        // first fit: 40 -> A (40 left), 50 -> B (30 left), 30 -> A (10 left), 40 -> no room -> C: 3 GPUs
        assertThat(gpusUsed(SimulatedPool.Packer.FIRST_FIT)).isEqualTo(3);
        // best fit: 40 -> A, 50 -> B, 30 -> B (0 left, the tightest), 40 -> A (0 left): 2 GPUs
        assertThat(gpusUsed(SimulatedPool.Packer.BEST_FIT)).isEqualTo(2);
    }

    /** One control tick starts a replica each of 40, 50, 30 and 40 GB models, in that order, through the cluster. */
    static int gpusAfterOneTick(SimulatedPool.Packer packer) {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(MPS_80GB), List.of(spec("a", 40), spec("b", 50), spec("c", 30), spec("d", 40)), SimulatedCluster.Gaps.NONE);
        c.setPacker(packer);
        c.setNow(0);
        c.applyAll(List.of(new Decision.ScaleModel("a", 1), new Decision.ScaleModel("b", 1), new Decision.ScaleModel("c", 1),
                new Decision.ScaleModel("d", 1)));
        SimulatedPool pool = c.pools().iterator().next();
        assertThat(pool.peakMemoryRatio()).isLessThanOrEqualTo(1.0);
        for (int i = 0; i < 4; i++) assertThat(c.server(i).replicaCount()).isEqualTo(1);
        return pool.activeNodes().size();
    }

    @Test
    void firstFitDecreasingPlacesATicksReplicasLargestFirst() {
        // first fit in the policy's order: 40 -> A (40 left), 50 -> B (30 left), 30 -> A (10 left), 40 -> C: 3 GPUs
        assertThat(gpusAfterOneTick(SimulatedPool.Packer.FIRST_FIT)).isEqualTo(3);
        // first-fit decreasing: 50 -> A (30 left), 40 -> B (40 left), 40 -> B (0 left), 30 -> A (0 left): 2 GPUs
        assertThat(gpusAfterOneTick(SimulatedPool.Packer.FIRST_FIT_DECREASING)).isEqualTo(2);
    }

    /** x (30 GB) and y (40 GB) share GPU A; the next tick starts z (40 GB) and, after it in the policy's order, stops x. */
    static int gpusAfterSwap(SimulatedPool.Packer packer) {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(MPS_80GB), List.of(spec("x", 30), spec("y", 40), spec("z", 40)), SimulatedCluster.Gaps.NONE);
        c.setPacker(packer);
        c.setNow(0);
        c.applyAll(List.of(new Decision.ScaleModel("x", 1), new Decision.ScaleModel("y", 1)));
        c.setNow(30);
        c.applyAll(List.of(new Decision.ScaleModel("z", 1), new Decision.ScaleModel("x", 0)));
        assertThat(c.server(2).replicaCount()).isEqualTo(1);
        assertThat(c.server(0).replicaCount()).isZero();
        return c.pools().iterator().next().activeNodes().size();
    }

    @Test
    void firstFitDecreasingFreesTheTicksScaleDownsBeforePlacing() {
        // in order: z finds 10 GB free on A and takes a new GPU B; x then leaves A half empty: 2 GPUs
        assertThat(gpusAfterSwap(SimulatedPool.Packer.FIRST_FIT)).isEqualTo(2);
        // scale-downs first: x frees 30 GB, A has 40 GB free, z fits there: 1 GPU
        assertThat(gpusAfterSwap(SimulatedPool.Packer.FIRST_FIT_DECREASING)).isEqualTo(1);
    }

    @Test
    void packerNamesParse() {
        assertThat(SimulatedPool.Packer.parse("first-fit-decreasing")).isEqualTo(SimulatedPool.Packer.FIRST_FIT_DECREASING);
        assertThat(SimulatedPool.Packer.parse("ffd")).isEqualTo(SimulatedPool.Packer.FIRST_FIT_DECREASING);
        assertThat(SimulatedPool.Packer.parse("best-fit")).isEqualTo(SimulatedPool.Packer.BEST_FIT);
        assertThat(SimulatedPool.Packer.parse("first_fit")).isEqualTo(SimulatedPool.Packer.FIRST_FIT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SimulatedPool.Packer.parse("worst-fit"))
                .hasMessageContaining("first-fit, first-fit-decreasing, best-fit");
    }

    @Test
    void packerNamesParseTheSameWhateverTheDefaultLocale() {
        // in a Turkish locale "FIRST-FIT".toLowerCase() is "fırst-fıt" (dotless i): --packer FIRST-FIT was refused there
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            assertThat(SimulatedPool.Packer.parse("FIRST-FIT")).isEqualTo(SimulatedPool.Packer.FIRST_FIT);
            assertThat(SimulatedPool.Packer.parse("LOAD_AWARE")).isEqualTo(SimulatedPool.Packer.LOAD_AWARE);
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
