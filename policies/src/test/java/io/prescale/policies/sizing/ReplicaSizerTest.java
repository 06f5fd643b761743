package io.prescale.policies.sizing;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import org.junit.jupiter.api.Test;

import static io.prescale.policies.PolicyFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReplicaSizerTest {
    // 40 ms + 10 ms per item, max batch 8: a full batch takes 120 ms -> at most 8 / 0.12 = 66.7 req/s per replica
    static final ModelSpec SPEC = spec("m", 8, 500);
    static final LatencyProfile LP = SPEC.latency();

    @Test
    void erlangCMatchesHandValues() {
        // n = 2, a = 1: (a^2/2! x 2/(2-1)) / (1 + a + a^2/2! x 2/(2-1)) = 1 / 3
        assertThat(ReplicaSizer.erlangC(2, 1.0)).isCloseTo(1.0 / 3, within(1e-12));
        // M/M/1: the probability of waiting is the utilisation
        assertThat(ReplicaSizer.erlangC(1, 0.5)).isCloseTo(0.5, within(1e-12));
        // n = 3, a = 2: (8/6 x 3) / (1 + 2 + 2 + 8/6 x 3) = 4 / 9
        assertThat(ReplicaSizer.erlangC(3, 2.0)).isCloseTo(4.0 / 9, within(1e-12));
        assertThat(ReplicaSizer.erlangC(2, 2.0)).isEqualTo(1.0); // saturated
    }

    @Test
    void steadyBatchIsWhereBatchesFormAsFastAsTheyAreServed() {
        // b >= rate x (0.04 + 0.01 b): rate 10 -> b = 1 (1 >= 0.5); rate 50 -> b >= 2 + 0.5 b -> b = 4
        assertThat(ReplicaSizer.steadyBatch(10, 8, LP)).isEqualTo(1);
        assertThat(ReplicaSizer.steadyBatch(50, 8, LP)).isEqualTo(4);
        assertThat(ReplicaSizer.steadyBatch(1000, 8, LP)).isEqualTo(8); // never catches up: full batches
    }

    @Test
    void noDemandNeedsNoReplica() {
        assertThat(ReplicaSizer.replicas(0, SPEC, 0.8)).isZero();
        assertThat(ReplicaSizer.replicas(Double.NaN, SPEC, 0.8)).isZero();
    }

    @Test
    void sizingIsMinimalAndMeetsTheSlo() {
        for (double rate = 0.5; rate <= 5000; rate *= 1.07) {
            int n = ReplicaSizer.replicas(rate, SPEC, 0.8);
            assertThat(n).as("rate %s", rate).isGreaterThanOrEqualTo(1);
            assertThat(ReplicaSizer.meetsSlo(rate, n, SPEC, LP, 0.8)).as("rate %s meets the SLO with %d", rate, n).isTrue();
            if (n > 1) assertThat(ReplicaSizer.meetsSlo(rate, n - 1, SPEC, LP, 0.8)).as("rate %s with %d", rate, n - 1).isFalse();
            // the utilisation cap holds: rate per replica below 80 % of the full-batch throughput
            assertThat(rate / n).isLessThanOrEqualTo(0.8 * LP.maxThroughput(8) + 1e-9);
        }
    }

    @Test
    void sizingIsMonotoneInRate() {
        int prev = 0;
        double prevRate = 0;
        for (double rate = 0.5; rate <= 5000; rate *= 1.07) {
            int n = ReplicaSizer.replicas(rate, SPEC, 0.8);
            assertThat(n).as("%s req/s needs %d replicas but %s req/s needed %d", rate, n, prevRate, prev).isGreaterThanOrEqualTo(prev);
            prev = n;
            prevRate = rate;
        }
    }

    @Test
    void aSlightlyHigherRateNeverNeedsFewerReplicas() {
        // 19.5 req/s on one replica: steadyBatch picks b = 1 (1 >= 19.5 x 0.05 = 0.975), utilisation
        // 19.5 x 0.05 = 0.975 > 0.8 -> rejected, 2 replicas. 20.7 req/s: b = 2 (2 >= 20.7 x 0.06 = 1.24),
        // utilisation 20.7 x 0.06 / 2 = 0.62 -> 1 replica. A replica that batches 20.7 req/s at b = 2 batches
        // 19.5 req/s the same way, so 19.5 should need at most 1.
        assertThat(ReplicaSizer.replicas(19.5, SPEC, 0.8)).isLessThanOrEqualTo(ReplicaSizer.replicas(20.7, SPEC, 0.8));
    }

    @Test
    void sizingIsCappedAtMaxReplicas() {
        ModelSpec small = spec("m", 8, 3);
        assertThat(ReplicaSizer.replicas(10_000, small, 0.8)).isEqualTo(3);
    }
}
