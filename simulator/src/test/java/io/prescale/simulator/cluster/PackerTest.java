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

/** Best fit packs mixed replica sizes onto fewer GPUs than first fit; neither ever exceeds a GPU's memory. */
class PackerTest {
    static final PoolShape MPS_80GB = new PoolShape("gpu", "test", 1, 80_000_000_000L, 8, 0, 1.0, Duration.ofSeconds(60),
            SharingMode.MPS, 0, 100, "test");

    static ModelSpec spec(long gb) {
        return new ModelSpec("m" + gb, "gpu", new ResourceNeeds(1, 0, gb * 1_000_000_000L, 0.1, null),
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

    @Test
    void packerNamesParse() {
        assertThat(SimulatedPool.Packer.parse("best-fit")).isEqualTo(SimulatedPool.Packer.BEST_FIT);
        assertThat(SimulatedPool.Packer.parse("first_fit")).isEqualTo(SimulatedPool.Packer.FIRST_FIT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SimulatedPool.Packer.parse("worst-fit"))
                .hasMessageContaining("first-fit, best-fit");
    }
}
