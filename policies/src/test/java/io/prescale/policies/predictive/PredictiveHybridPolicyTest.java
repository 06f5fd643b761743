package io.prescale.policies.predictive;

import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.PolicyContext;
import io.prescale.policies.PolicyFixtures;
import io.prescale.policies.sizing.ReplicaSizer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code predictive.hybrid}: the headroom policy's target, never below what the reactive rule asks for the load
 * observed in the last tick (observed x 1.2, sized). The fixture model: 40 ms + 10 ms per item, max batch 8
 * (full-batch capacity 8 / 0.12 s = 66.7 req/s per replica, 60 req/s at the 0.9 cap), SLO 500 ms at 99 %,
 * 60 s load on a pool that provisions in 180 s; tick 30 s.
 */
class PredictiveHybridPolicyTest {

    static int target(PredictiveHeadroomPolicy p, ModelSpec spec, double at, long arrivals, double slo, int ready) {
        var m = new ModelObservation(spec, arrivals, 0, 0, 0, 0.5, Double.NaN, slo, ready, 0, 0, 0, false);
        return p.decide(PolicyFixtures.at(at, 30, m)).stream().filter(x -> x instanceof Decision.ScaleModel)
                .map(x -> ((Decision.ScaleModel) x).replicas()).findFirst().orElseThrow();
    }

    @Test
    void aSurgeAboveTheForecastGetsWhatTheReactiveRuleAsksEvenAfterAnchoringAndSloFeedback() {
        // the forecast: a flat 6,000 requests per 10 min (10 req/s) at P50 and P90, so its growth is 1.
        // 20 ticks of 300 requests (10 req/s), every one meeting the SLO: the 10-minute window holds >= 200 requests
        // from the first tick on, attainment 100 % > 99.5 %, so SLO feedback shrinks 0.99 a tick: 0.99^21 = 0.810
        // at the 21st tick. Then one tick of 5,400 requests (180 req/s).
        // Anchored: the 2-min window holds 3 x 300 + 5,400 = 6,300 requests = 52.5 req/s, x growth 1 x anchorSafety
        // 1.1 = 57.75, x feedback 0.810 = 46.8 req/s: 1 replica (utilisation 46.8 / 66.7 = 0.70; steady batch 4,
        // 2 x 80 ms + Erlang C wait ln(0.70 / 0.01) / (66.7 - 46.8) = 0.21 s + 10 ms = 0.38 s <= 0.5 s).
        // The reactive rule: 180 x 1.2 = 216 req/s: ceil(216 / 60) = 4 replicas (utilisation 0.81; batch 5, 2 x 90 ms
        // + wait 0.08 s + 10 ms = 0.27 s <= 0.5 s). The hybrid must ask for the 4.
        PolicyContext ctx = PredictiveHeadroomPolicyTest.forecasting(new double[]{6000, 6000}, new double[]{6000, 6000});
        ModelSpec spec = PredictiveHeadroomPolicyTest.withLoad(Duration.ofSeconds(60));
        var hybrid = PredictiveHybridPolicy.create(PredictiveHybridPolicy.DEFAULTS, ctx);
        var headroom = new PredictiveHeadroomPolicy(PredictiveHeadroomPolicy.Params.DEFAULTS,
                PredictiveHeadroomPolicyTest.forecasting(new double[]{6000, 6000}, new double[]{6000, 6000}));
        for (int tick = 1; tick <= 20; tick++) {
            assertThat(target(hybrid, spec, 30.0 * tick, 300, 1.0, 1)).isEqualTo(1);
            target(headroom, spec, 30.0 * tick, 300, 1.0, 1);
        }
        assertThat(ReplicaSizer.replicas(216, spec, 0.9)).isEqualTo(4);
        assertThat(ReplicaSizer.replicas(52.5 * 1.1 * Math.pow(0.99, 21), spec, 0.9)).isEqualTo(1);
        assertThat(target(headroom, spec, 30.0 * 21, 5400, 1.0, 1)).as("the forecast alone").isEqualTo(1);
        assertThat(target(hybrid, spec, 30.0 * 21, 5400, 1.0, 1)).isEqualTo(4);
    }

    @Test
    void theFloorNeverLiftsATargetAlreadyAboveIt() {
        // no forecaster: both size observed x 1.2 (3,000 per 30 s = 100 req/s -> 120 req/s), the same target
        var ctx = PolicyFixtures.context(java.util.Optional.empty());
        ModelSpec spec = PredictiveHeadroomPolicyTest.withLoad(Duration.ofSeconds(60));
        var hybrid = PredictiveHybridPolicy.create(PredictiveHybridPolicy.DEFAULTS, ctx);
        var headroom = new PredictiveHeadroomPolicy(PredictiveHeadroomPolicy.Params.DEFAULTS, PolicyFixtures.context(java.util.Optional.empty()));
        assertThat(target(hybrid, spec, 30, 3000, Double.NaN, 0)).isEqualTo(target(headroom, spec, 30, 3000, Double.NaN, 0))
                .isEqualTo(ReplicaSizer.replicas(120, spec, 0.9));
    }
}
