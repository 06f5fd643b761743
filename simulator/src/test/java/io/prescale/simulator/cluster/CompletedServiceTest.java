package io.prescale.simulator.cluster;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

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
        // 4 s base + 1 s per item, batches of up to 4, no batching delay
        SimulatedCluster c = OneReplicaCluster.of(Duration.ofSeconds(60), continuous);
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
