package io.prescale.simulator.engine;

import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.simulator.TestSpecs;
import io.prescale.simulator.metrics.RunResult.Totals;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Priority outcomes in the report: attainment per class weighted by requests, and Jain's fairness index. */
class PriorityOutcomesTest {

    static ModelSpec spec(String id, PriorityClass p) {
        ModelSpec s = TestSpecs.model(id, "gpu", io.prescale.core.model.LatencyProfile.linear(1, 0), 1, 0, 10, 60, 5);
        return new ModelSpec(s.id(), s.pool(), s.needs(), s.profiles(), s.maxBatch(), s.maxQueueDelay(), s.queueCapacity(),
                s.timeout(), s.slo(), p, s.loadTime(), s.minReplicas(), s.maxReplicas());
    }

    static Totals totals(String model, long requests, double slo) {
        return new Totals(model, requests, requests, 0, 0, 0, slo, 1, 1, 1, 1, 1, 0, 0.5, 0, 0);
    }

    @Test
    void attainmentPerClassIsWeightedByRequests() {
        List<ModelSpec> specs = List.of(spec("a", PriorityClass.HIGH), spec("b", PriorityClass.LOW), spec("c", PriorityClass.LOW),
                spec("idle", PriorityClass.BATCH));
        List<Totals> t = List.of(totals("a", 100, 1.0), totals("b", 300, 0.5), totals("c", 100, 0.9), totals("idle", 0, 1.0));
        // high: 100 / 100 = 1.0; low: (300 x 0.5 + 100 x 0.9) / 400 = 240 / 400 = 0.6; batch: no requests, left out
        var by = Results.sloByPriority(specs, t);
        assertThat(by).containsOnlyKeys("high", "low");
        assertThat(by.get("high")).isEqualTo(1.0);
        assertThat(by.get("low")).isCloseTo(0.6, within(1e-12));
        assertThat(List.copyOf(by.keySet())).containsExactly("high", "low"); // class order, critical first
    }

    @Test
    void fairnessIsAlsoMeasuredWithinEachPriorityClass() {
        List<ModelSpec> specs = List.of(spec("a", PriorityClass.HIGH), spec("b", PriorityClass.LOW), spec("c", PriorityClass.LOW),
                spec("idle", PriorityClass.LOW));
        List<Totals> t = List.of(totals("a", 100, 1.0), totals("b", 300, 0.5), totals("c", 100, 0.9), totals("idle", 0, 1.0));
        // high: one model, 1.0; low, models with requests only: (0.5 + 0.9)^2 / (2 x (0.25 + 0.81)) = 1.96 / 2.12
        var by = Results.fairnessByPriority(specs, t);
        assertThat(List.copyOf(by.keySet())).containsExactly("high", "low");
        assertThat(by.get("high")).isCloseTo(1.0, within(1e-12));
        assertThat(by.get("low")).isCloseTo(1.96 / 2.12, within(1e-12));
    }

    @Test
    void jainsIndexIsOneWhenAllAlikeAndOneOverNWhenOneTakesAll() {
        assertThat(Results.jainFairness(new double[]{0.99, 0.99, 0.99})).isCloseTo(1.0, within(1e-12));
        // (1 + 0 + 0 + 0)^2 / (4 x 1) = 0.25
        assertThat(Results.jainFairness(new double[]{1, 0, 0, 0})).isCloseTo(0.25, within(1e-12));
        // (1 + 0.5)^2 / (2 x 1.25) = 2.25 / 2.5 = 0.9
        assertThat(Results.jainFairness(new double[]{1, 0.5})).isCloseTo(0.9, within(1e-12));
    }
}
