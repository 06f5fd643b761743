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
import io.prescale.simulator.metrics.ModelMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What becomes of the requests still queued when the run's window ends. */
class EndOfWindowTest {

    /** Model "m" (0.1 s per request, batches of 1, timeout 60 s, SLO 2 s, min 0 replicas) on an exclusive A100 pool. */
    private static SimulatedCluster cluster() {
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        ModelSpec m = new ModelSpec("m", a100.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(a100.id(), LatencyProfile.linear(0.1, 0)), 1, Duration.ZERO, 10, Duration.ofSeconds(60),
                new Slo(Duration.ofSeconds(2), 0, 0.99), PriorityClass.NORMAL, Duration.ofSeconds(20), 0, 4);
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), List.of(m), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        return c;
    }

    @Test
    void onAModelWithNoReplicaOnlyRequestsWhoseTimeoutPassedInTheWindowTimeOutTheRestAreUnfinished() {
        // no replica all run; requests at 50 s and 100 s; the window ends at 120 s. The one at 50 s has waited 70 s > 60 s:
        // timed out. The one at 100 s has waited 20 s, its timeout (160 s) still to come: unfinished (in flight), not
        // timed out. Before, both counted as timed out
        SimulatedCluster c = cluster();
        ModelServer s = c.server(0);
        s.arrive(50, 0.1f);
        s.arrive(100, 0.1f);
        c.finish(120);
        ModelMetrics m = s.metrics;
        assertThat(m.arrived).isEqualTo(2);
        assertThat(m.timedOut).isEqualTo(1);
        assertThat(m.served).isZero();
        assertThat(s.queued()).isEqualTo(1); // in flight: arrived = served + dropped + timed out + in flight
        assertThat(m.sloMet).isZero();       // and not within the SLO
    }

    @Test
    void aModelWithAReplicaStillServesWhatIsQueuedAfterTheEnd() {
        // one replica, loading until 20 s + the pool's provisioning delay (past the end at 120 s): it is served once loaded
        SimulatedCluster c = cluster();
        c.applyAll(List.of(new Decision.ScaleModel("m", 1)));
        ModelServer s = c.server(0);
        s.arrive(100, 0.1f);
        c.finish(120);
        assertThat(s.metrics.served + s.metrics.timedOut).isEqualTo(1);
        assertThat(s.queued()).isZero();
    }
}
