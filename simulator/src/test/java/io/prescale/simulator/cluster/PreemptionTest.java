package io.prescale.simulator.cluster;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.policy.Decision;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When a pool is full, a higher-priority model takes a replica from a lower-priority one, never the reverse. */
class PreemptionTest {
    static final PoolShape TWO_GPUS = new PoolShape("gpu", "test", 1, 80_000_000_000L, 8, 0, 1.0, Duration.ofSeconds(60),
            SharingMode.EXCLUSIVE, 0, 2, "test");

    static ModelSpec spec(String id, PriorityClass p) {
        return new ModelSpec(id, "gpu", new ResourceNeeds(1, 0, 40_000_000_000L, 1, null), Map.of("gpu", LatencyProfile.linear(0.1, 0.01)),
                4, Duration.ZERO, 100, Duration.ofSeconds(30), new Slo(Duration.ofSeconds(1), 0, 0.99), p, Duration.ofSeconds(10), 0, 10);
    }

    @Test
    void highPriorityPreemptsLowWhenThePoolIsFull() {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(TWO_GPUS), List.of(spec("low", PriorityClass.LOW), spec("high", PriorityClass.HIGH)), i -> false);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("low", 2));      // both GPUs
        assertThat(c.server(0).replicaCount()).isEqualTo(2);
        c.setNow(100);
        c.apply(new Decision.ScaleModel("high", 1));     // pool full: takes one from "low"
        assertThat(c.server(1).replicaCount()).isEqualTo(1);
        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.preemptions()).isEqualTo(1);
        // the low model still wants 2, but cannot take the GPU back from a higher class
        c.apply(new Decision.ScaleModel("low", 2));
        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.preemptions()).isEqualTo(1);
    }
}
