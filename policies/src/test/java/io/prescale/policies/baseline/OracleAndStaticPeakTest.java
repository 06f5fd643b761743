package io.prescale.policies.baseline;

import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.DemandOracle;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.Policy;
import io.prescale.policies.PolicyFixtures;
import io.prescale.policies.sizing.ReplicaSizer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static io.prescale.policies.PolicyFixtures.at;
import static io.prescale.policies.PolicyFixtures.context;
import static io.prescale.policies.PolicyFixtures.model;
import static io.prescale.policies.PolicyFixtures.oracle;
import static io.prescale.policies.PolicyFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OracleAndStaticPeakTest {
    static final ModelSpec M = spec("m", 8, 500);

    static int replicas(Policy p, Observation o) {
        return ((Decision.ScaleModel) p.decide(o).get(0)).replicas();
    }

    @Test
    void oracleProvisionsAheadOfABurstByTheWarmUpLeadAndReleasesAfter() {
        // 200 req/s during [1000, 2000) s, nothing otherwise. Lead = 180 s provisioning + 60 s load + 2 ticks of 10 s = 260 s
        var p = new OraclePolicy(OraclePolicy.Params.DEFAULTS, context(Optional.of(oracle((m, t) -> t >= 1000 && t < 2000 ? 200 : 0))));
        int need = ReplicaSizer.replicas(200, M, OraclePolicy.Params.DEFAULTS.maxUtilization());
        assertThat(need).isGreaterThan(1);
        assertThat(replicas(p, at(500, 10, model(M, 0, 0, 0, 0, Double.NaN, 0, 0)))).isZero();   // burst 500 s away
        assertThat(replicas(p, at(760, 10, model(M, 0, 0, 0, 0, Double.NaN, 0, 0)))).isEqualTo(need); // within the lead
        assertThat(replicas(p, at(1500, 10, model(M, 200, 0, 0, 0, 0.5, need, 0)))).isEqualTo(need);
        // after the burst, with its last requests still in the system: one replica per max batch of them
        assertThat(replicas(p, at(2010, 10, model(M, 0, 9, 0, 9, 0.5, need, 0)))).isEqualTo(2);
        assertThat(replicas(p, at(2100, 10, model(M, 0, 0, 0, 0, 0, need, 0)))).isZero();
    }

    @Test
    void oracleHoldsAReplicaForDemandBelowHalfARequestPerSubWindow() {
        // 0.01 req/s: 0.2 requests expected in each 20 s sub-window, a request every 100 s. Rounded to a count of 0
        // the oracle held nothing, and a request arriving then waited with no replica ever started for it
        var p = new OraclePolicy(OraclePolicy.Params.DEFAULTS, context(Optional.of(oracle((m, t) -> 0.01))));
        assertThat(replicas(p, at(500, 10, model(M, 0, 0, 0, 0, Double.NaN, 0, 0)))).isEqualTo(1);
        assertThat(replicas(p, at(510, 10, model(M, 1, 1, 0, 1, Double.NaN, 0, 0)))).isEqualTo(1);
    }

    @Test
    void oracleLooksAheadNoFurtherThanTheKnownFuture() {
        // a model that loads for 1,000 days: the look-ahead is 180 s + 1,000 d + 20 s, 4.32 M sub-windows of 20 s, every
        // tick. The future ends at 3,000 s: from a tick at 1,000 s the sub-windows starting at 1,000, 1,020, ..., 2,980 s
        // are the 100 worth asking about
        ModelSpec slow = new ModelSpec("m", M.pool(), M.needs(), Map.of(M.pool(), M.latency()), M.maxBatch(), M.maxQueueDelay(),
                M.queueCapacity(), M.timeout(), M.slo(), M.priority(), Duration.ofDays(1000), 0, M.maxReplicas());
        DemandOracle rate = oracle((m, t) -> t < 3000 ? 50 : 0);
        long[] asked = {0};
        DemandOracle known = new DemandOracle() {
            @Override
            public double arrivals(String model, Instant from, Instant to) {
                asked[0]++;
                return rate.arrivals(model, from, to);
            }

            @Override
            public double peakRate(String model, double windowSeconds) {
                return rate.peakRate(model, windowSeconds);
            }

            @Override
            public Instant end() {
                return PolicyFixtures.T0.plusSeconds(3000);
            }
        };
        var p = new OraclePolicy(OraclePolicy.Params.DEFAULTS, context(Optional.of(known)));
        assertThat(replicas(p, at(1000, 10, model(slow, 0, 0, 0, 0, Double.NaN, 0, 0)))).isEqualTo(ReplicaSizer.replicas(50, slow, 0.95));
        assertThat(asked[0]).isEqualTo(100);
    }

    @Test
    void staticPeakSizesOnceForThePeakAndNeverMoves() {
        var p = new StaticPeakPolicy(StaticPeakPolicy.Params.DEFAULTS, context(Optional.of(oracle((m, t) -> t < 3600 ? 50 : 150))));
        int peak = ReplicaSizer.replicas(150, M, 0.8);
        for (int t = 0; t < 7200; t += 60) {
            assertThat(replicas(p, at(t, 60, model(M, t, 0, 0, 0, 0.1, peak, 0)))).isEqualTo(peak);
        }
    }

    @Test
    void policiesThatNeedTheFutureRefuseToRunWithoutIt() {
        assertThatThrownBy(() -> new OraclePolicy(OraclePolicy.Params.DEFAULTS, context(Optional.empty())))
                .hasMessageContaining("oracle");
        assertThatThrownBy(() -> new StaticPeakPolicy(StaticPeakPolicy.Params.DEFAULTS, context(Optional.empty())))
                .hasMessageContaining("static.peak");
    }
}
