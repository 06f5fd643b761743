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

/**
 * When a pool is full, a higher-priority model takes a replica from a lower-priority one, never the reverse;
 * priority is dynamic (a model below its SLO target counts one class higher), and slack breaks ties.
 */
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
        // it takes the GPU the low model left: no third GPU, loaded 10 s later (not after a 60 s provisioning too)
        SimulatedPool pool = c.pools().iterator().next();
        assertThat(pool.activeNodes()).hasSize(2);
        assertThat(pool.releasedNodes()).isEmpty();
        assertThat(c.server(1).replicas().get(0).readyAt).isEqualTo(110.0);
        // the low model still wants 2, but cannot take the GPU back from a higher class
        c.apply(new Decision.ScaleModel("low", 2));
        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.preemptions()).isEqualTo(1);
    }

    static void finished(SimulatedCluster c, int model, long served, long met) {
        c.server(model).metrics.served = served;
        c.server(model).metrics.sloMet = met;
    }

    @Test
    void withinTheLowestClassTheModelWithTheMostSloSlackGivesUpItsReplica() {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(TWO_GPUS), List.of(spec("a", PriorityClass.LOW), spec("b", PriorityClass.LOW),
                spec("high", PriorityClass.HIGH)), i -> false);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("a", 1));
        c.apply(new Decision.ScaleModel("b", 1));
        // a: 1,000 met of 1,000 (slack +0.01); b: 995 of 1,000 (99.5 %, slack +0.005)
        finished(c, 0, 1000, 1000);
        finished(c, 1, 1000, 995);
        c.setNow(100);
        c.apply(new Decision.ScaleModel("high", 1));
        assertThat(c.server(0).replicaCount()).isZero();
        assertThat(c.server(1).replicaCount()).isEqualTo(1);
    }

    @Test
    void aModelBelowItsSloTargetCountsOneClassHigher() {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(TWO_GPUS), List.of(spec("healthy", PriorityClass.NORMAL),
                spec("at-risk", PriorityClass.NORMAL)), i -> false);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("healthy", 2));
        // same class: no preemption while both meet their target
        finished(c, 1, 1000, 995);
        c.setNow(100);
        c.apply(new Decision.ScaleModel("at-risk", 1));
        assertThat(c.server(1).replicaCount()).isZero();
        // at-risk meets 900 of 1,000 = 90 % < 99 %: it ranks as HIGH and takes a GPU from the healthy NORMAL model
        finished(c, 1, 1000, 900);
        c.setNow(200);
        c.apply(new Decision.ScaleModel("at-risk", 1));
        assertThat(c.server(1).replicaCount()).isEqualTo(1);
        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.preemptions()).isEqualTo(1);
    }
}
