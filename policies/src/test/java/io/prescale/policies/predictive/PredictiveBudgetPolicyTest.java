package io.prescale.policies.predictive;

import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.policies.PolicyFixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The budget cap is honoured, and capacity goes to the higher priority class first. */
class PredictiveBudgetPolicyTest {

    private static ModelSpec spec(String id, PriorityClass p) {
        ModelSpec s = PolicyFixtures.spec(id, 8, 100);
        return new ModelSpec(s.id(), s.pool(), s.needs(), s.profiles(), s.maxBatch(), s.maxQueueDelay(), s.queueCapacity(),
                s.timeout(), s.slo(), p, s.loadTime(), s.minReplicas(), s.maxReplicas());
    }

    @Test
    void capHonouredAndHighPriorityServedFirst() {
        ModelSpec high = spec("high", PriorityClass.HIGH), low = spec("low", PriorityClass.LOW);
        // no forecaster: the hybrid falls back to the observed rate x 1.2. 30 s tick, 3,000 arrivals = 100 req/s -> 120 req/s.
        // Per replica at full batch: 8 / (0.04 + 0.01 x 8) = 66.7 req/s; at 0.8 utilisation: ceil(120 / 53.3) = 3 replicas each.
        var policy = new PredictiveBudgetPolicy(new PredictiveBudgetPolicy.Params(8.0, PredictiveHybridPolicy.DEFAULTS),
                PolicyFixtures.context(Optional.empty()));
        ModelObservation h = PolicyFixtures.model(high, 3000, 0, 0, 0, 0.5, 1, 0);
        ModelObservation l = PolicyFixtures.model(low, 3000, 0, 0, 0, 0.5, 1, 0);
        Observation obs = PolicyFixtures.at(30, 30, l, h);
        List<Decision> d = policy.decide(obs);
        Map<String, Integer> got = new java.util.HashMap<>();
        for (Decision x : d) if (x instanceof Decision.ScaleModel s) got.put(s.model(), s.replicas());
        // 6 replicas x 2 USD/h = 12 USD/h > cap 8: four replicas fit; "high" gets all 3 it wants, "low" the 1 left
        assertThat(got).containsEntry("high", 3).containsEntry("low", 1);
        assertThat(got.values().stream().mapToInt(Integer::intValue).sum() * 2.0).isLessThanOrEqualTo(8.0);
        assertThat(d).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(Decision.NoOp.class,
                n -> assertThat(n.reason()).contains("short: low -2")));
    }

    @Test
    void underTheCapItDecidesLikeTheHybrid() {
        ModelSpec m = spec("m", PriorityClass.NORMAL);
        var budget = new PredictiveBudgetPolicy(new PredictiveBudgetPolicy.Params(1000, PredictiveHybridPolicy.DEFAULTS),
                PolicyFixtures.context(Optional.empty()));
        var hybrid = PredictiveHybridPolicy.create(PredictiveHybridPolicy.DEFAULTS, PolicyFixtures.context(Optional.empty()));
        Observation obs = PolicyFixtures.at(30, 30, PolicyFixtures.model(m, 3000, 0, 0, 0, 0.5, 1, 0));
        assertThat(budget.decide(obs)).isEqualTo(hybrid.decide(obs));
    }
}
