package io.prescale.simulator.cluster;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.policy.Decision;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.simulator.catalog.ModelCatalog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test fixture: one model "m" on one warm replica of an exclusive A100, 4 s base + 1 s per item, batches of up to 4. */
final class OneReplicaCluster {
    private OneReplicaCluster() {}

    /** The cluster at time 0, its replica warm, with the given latency SLO; iteration-level batching if {@code continuous}. */
    static SimulatedCluster of(Duration sloLatency, boolean continuous) {
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        ModelSpec spec = new ModelSpec("m", a100.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(a100.id(), LatencyProfile.linear(4, 1)), 4, Duration.ZERO, 100, Duration.ofSeconds(900),
                new Slo(sloLatency, 0, 0.99), PriorityClass.NORMAL, Duration.ZERO, 0, 1);
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), List.of(spec), SimulatedCluster.Gaps.NONE);
        if (continuous) c.enableContinuousBatching(0);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("m", 1));
        c.warmStart();
        return c;
    }
}
