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
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Replica failures (--replica-mtbf) as a Poisson process. */
class FailureInjectorTest {

    @Test
    void aTickBringsAsManyFailuresAsTheReplicasMtbfSaysNotAtMostOne() {
        // 4 replicas, MTBF 1 h, ticks of 1 h: 4 failures expected per tick (Poisson, mean 4). Over 2,000 ticks the mean
        // is 4 within a few per cent (its standard error is sqrt(4 / 2000) = 0.045); each failure falls inside its tick,
        // in time order. Before, a tick drew one failure at most (mean 1 - e^-4 = 0.98)
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        ModelSpec m = new ModelSpec("m", a100.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(a100.id(), LatencyProfile.linear(0.1, 0)), 1, Duration.ZERO, 10, Duration.ofSeconds(60),
                new Slo(Duration.ofSeconds(2), 0, 0.99), PriorityClass.NORMAL, Duration.ofSeconds(20), 0, 10);
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), List.of(m), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.applyAll(List.of(new Decision.ScaleModel("m", 4)));
        assertThat(c.replicasTotal()).isEqualTo(4);
        FailureInjector f = new FailureInjector(1, 7);
        long events = 0;
        for (int k = 0; k < 2000; k++) {
            double t = k * 3600.0;
            List<SimEvent> e = f.next(c, t, 3600, 0);
            for (int j = 0; j < e.size(); j++) {
                assertThat(e.get(j).time()).isBetween(t, t + 3600);
                assertThat(e.get(j).seq()).isEqualTo(j);
                if (j > 0) assertThat(e.get(j).time()).isGreaterThanOrEqualTo(e.get(j - 1).time());
            }
            events += e.size();
        }
        assertThat(events / 2000.0).isBetween(3.85, 4.15);
        assertThat(new FailureInjector(0, 7).next(c, 0, 3600, 0)).isEmpty();
    }
}
