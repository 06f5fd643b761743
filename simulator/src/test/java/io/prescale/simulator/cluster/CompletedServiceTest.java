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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A server counts a request's isolated service time as measured once its service has ended, not when it is
 * dispatched: what the policies' calibration may know at a tick.
 */
class CompletedServiceTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void eachRequestIsCountedWhenItsOwnServiceEnds(boolean continuous) {
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        // 4 s base + 1 s per item, batches of up to 4, no batching delay
        ModelSpec spec = new ModelSpec("m", a100.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(a100.id(), LatencyProfile.linear(4, 1)), 4, Duration.ZERO, 100, Duration.ofSeconds(900),
                new Slo(Duration.ofSeconds(60), 0, 0.99), PriorityClass.NORMAL, Duration.ZERO, 0, 1);
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), List.of(spec), SimulatedCluster.Gaps.NONE);
        if (continuous) c.enableContinuousBatching(0);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("m", 1));
        c.warmStart();
        ModelServer s = c.server(0);
        // three jobs of 1, 2 and 4 s at 20 s ride together: stretched by (4 + 3) / (4 + 1) = 1.4 each, they end at
        // 21.4, 22.8 and 25.6 s (in a whole batch and in iteration-level batching alike: each leaves when its own work is done)
        s.arrive(20, 1f);
        s.arrive(20, 2f);
        s.arrive(20, 4f);
        assertThat(at(s, 21.3)).containsExactly(0, 0);
        assertThat(s.metrics.served).isEqualTo(3); // dispatched, so booked as served, but not yet measured
        assertThat(at(s, 21.41)).containsExactly(1, 1);
        assertThat(at(s, 25.5)).containsExactly(2, 3);
        assertThat(at(s, 25.61)).containsExactly(3, 7);
    }

    /** {completed requests, their service seconds} once the server is advanced to {@code t}. */
    private static double[] at(ModelServer s, double t) {
        s.drain(t);
        s.closeTick(t, 1);
        double sum = s.completedServiceSeconds();
        assertThat(sum).isCloseTo(Math.rint(sum), within(1e-6));
        return new double[]{s.completedRequests(), Math.rint(sum)};
    }
}
