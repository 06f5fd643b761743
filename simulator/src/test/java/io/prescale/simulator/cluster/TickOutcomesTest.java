package io.prescale.simulator.cluster;

import io.prescale.core.policy.ModelObservation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A control tick tells the policy of the requests that finished in its interval: served, SLO attainment and p99 count
 * a request in the tick it ends in, not in the one it was dispatched in (its latency is fixed at dispatch, but a live
 * system measures it only at the end).
 */
class TickOutcomesTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRequestCountsInTheTickItFinishesIn(boolean continuous) {
        // 4 s base + 1 s per item, batches of up to 4, no batching delay; SLO: 6 s
        SimulatedCluster c = OneReplicaCluster.of(Duration.ofSeconds(6), continuous);
        ModelServer s = c.server(0);
        tick(c, 10);
        // four jobs of 1, 2, 4 and 5 s at 20 s ride together: stretched by (4 + 4) / (4 + 1) = 1.6 each, they take 1.6,
        // 3.2, 6.4 and 8 s and end at 21.6, 23.2, 26.4 and 28 s (in a whole batch and in iteration-level batching alike:
        // each leaves when its own work is done); the first two meet the 6 s SLO, the last two miss it
        for (float svc : new float[]{1, 2, 4, 5}) s.arrive(20, svc);
        // tick at 22: one finished (1.6 s: p99 is the upper edge of its power-of-two bucket [2^20, 2^21) us, 2.097152 s)
        ModelObservation at22 = tick(c, 22);
        assertThat(at22.arrivals()).isEqualTo(4);
        assertThat(at22.inService()).isEqualTo(3);
        assertThat(at22.sloAttainment()).isEqualTo(1.0);
        assertThat(at22.p99LatencySeconds()).isCloseTo(0x1p21 / 1e6, within(1e-12));
        // tick at 27: 3.2 s (met) and 6.4 s (missed, bucket [2^22, 2^23) us: 8.388608 s) finished
        ModelObservation at27 = tick(c, 27);
        assertThat(at27.inService()).isEqualTo(1);
        assertThat(at27.sloAttainment()).isEqualTo(0.5);
        assertThat(at27.p99LatencySeconds()).isCloseTo(0x1p23 / 1e6, within(1e-12));
        // tick at 30: the 8 s one (missed, same bucket)
        ModelObservation at30 = tick(c, 30);
        assertThat(at30.inService()).isZero();
        assertThat(at30.sloAttainment()).isEqualTo(0.0);
        assertThat(at30.p99LatencySeconds()).isCloseTo(0x1p23 / 1e6, within(1e-12));
        // and nothing is counted twice
        ModelObservation at40 = tick(c, 40);
        assertThat(at40.sloAttainment()).isNaN();
        assertThat(at40.p99LatencySeconds()).isNaN();
        // the run's totals count them all, as served when dispatched
        assertThat(s.metrics.served).isEqualTo(4);
        assertThat(s.metrics.sloMet).isEqualTo(2);
    }

    /** The model's observation at a control tick at {@code t} s, the server advanced to then as the engine does. */
    private static ModelObservation tick(SimulatedCluster c, double t) {
        c.server(0).drain(t);
        return c.observe(Instant.EPOCH.plusMillis(Math.round(t * 1000))).models().get(0);
    }
}
