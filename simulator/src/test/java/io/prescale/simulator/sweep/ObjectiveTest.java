package io.prescale.simulator.sweep;

import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.sweep.ExperimentSpec.Metric;
import io.prescale.simulator.sweep.ExperimentSpec.Objective;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ObjectiveTest {
    private static RunResult.Totals totals(long requests, double slo, double gpuHours) {
        return new RunResult.Totals("all", requests, requests, 0, 0, 0, slo, 1, 1, 1, gpuHours, gpuHours, 0, 0.5, 0, 0);
    }

    @Test
    void theWilsonLowerBoundIsTheMarginAConfidenceAsks() {
        Objective plain = new Objective(Metric.gpuHours, 0.99);
        Objective sure = new Objective(Metric.gpuHours, 0.99, 0.95);
        // n = 10,000, p = 0.992, z = 1.6448536 (z^2 = 2.7055):
        // centre = 0.992 + 2.7055 / 20,000 = 0.99213528
        // spread = z * sqrt(0.992 * 0.008 / 10,000 + 2.7055 / (4 * 10^8)) = 1.6448536 * sqrt(8.0036e-7) = 0.00147153
        // bound = (0.99213528 - 0.00147153) / (1 + 2.7055 / 10,000) = 0.99066375 / 1.00027055 = 0.9903958
        assertThat(sure.lowerBound(0.992, 10_000)).isCloseTo(0.9903958, within(1e-6));
        assertThat(sure.meets(totals(10_000, 0.992, 1))).isTrue();
        // p = 0.991: spread = 1.6448536 * sqrt(0.991 * 0.009 / 10,000 + 6.76e-9) = 0.00155931, bound = 0.9893083 < 0.99
        assertThat(sure.lowerBound(0.991, 10_000)).isCloseTo(0.9893083, within(1e-6));
        assertThat(sure.meets(totals(10_000, 0.991, 1))).isFalse();
        assertThat(plain.meets(totals(10_000, 0.991, 1))).isTrue();
        // the same attainment over a hundred times the requests is sure enough
        assertThat(sure.meets(totals(1_000_000, 0.991, 1))).isTrue();
        assertThat(sure.text()).isEqualTo("least GPU-hours with SLO attainment >= 99 % at 95 % confidence");
        assertThatThrownBy(() -> new Objective(Metric.gpuHours, 0.99, 0.8)).hasMessageContaining("0.9, 0.95 or 0.99");
    }

    @Test
    void withAConfidenceTheWinnerIsTheCheapestSureToMeetTheTarget() {
        // A: 0.991 over 10,000 requests at 100 GPU-h (bound 0.9893: not sure); B: 0.995 over 10,000 at 120 (bound 0.9935)
        Scenario.Context c = Expansion.scenarios(SpecReader.parse("schema: prescale.experiment/v1\nname: t\ntrace: synthetic\npolicies: [reactive.hpa]\n",
                Path.of("."))).get(0).context();
        List<ScenarioResult> rs = List.of(result(0, "A", c, totals(10_000, 0.991, 100)), result(1, "B", c, totals(10_000, 0.995, 120)));
        assertThat(Winner.pick(new Objective(Metric.gpuHours, 0.99), rs).orElseThrow().arm().label()).isEqualTo("A");
        assertThat(Winner.pick(new Objective(Metric.gpuHours, 0.99, 0.95), rs).orElseThrow().arm().label()).isEqualTo("B");
        assertThat(ContextBests.of(new Objective(Metric.gpuHours, 0.99, 0.95), rs).get(0).bests()).extracting(ContextBests.Best::scenario)
                .containsExactly("B");
    }

    @Test
    void noRequestInAnyScenarioIsNoWinnerNotTheCheapestOnAVacuousAttainment() {
        // a window with no arrivals: every arm reads 100 % SLO attainment; a scale-to-zero policy at 0 GPU-h won
        Scenario.Context c = context();
        List<ScenarioResult> rs = List.of(result(0, "A", c, totals(0, 1.0, 0.5)), result(1, "B", c, totals(0, 1.0, 0)));
        Objective o = new Objective(Metric.gpuHours, 0.99);
        assertThat(Winner.pick(o, rs)).isEmpty();
        assertThat(Winner.noWinnerReason(o, rs)).startsWith("no configuration saw a request: ");
    }

    @Test
    void aRunnerUpOverAWinnerThatUsedNothingGetsNoPercentage() {
        // B used 0 GPU-h, A 5: (5 - 0) / 0 has no value; it read "+0.0 %"
        Scenario.Context c = context();
        List<ScenarioResult> rs = List.of(result(0, "A", c, totals(10, 1.0, 5)), result(1, "B", c, totals(10, 1.0, 0)));
        String why = Winner.pick(new Objective(Metric.gpuHours, 0.99), rs).orElseThrow().reason();
        assertThat(why).endsWith("; runner-up A at 5.000 GPU-hours.");
    }

    @Test
    void aTieSaysItIsATieAndHowItWasBroken() {
        Scenario.Context c = context();
        Objective o = new Objective(Metric.gpuHours, 0.99);
        // A and B both 24 GPU-h at 100 %: it read "runner-up B at 24.000 GPU-hours (+0.0 %)"; C is dearer
        List<ScenarioResult> same = List.of(result(0, "A", c, totals(10, 1.0, 24)), result(1, "B", c, totals(10, 1.0, 24)),
                result(2, "C", c, totals(10, 1.0, 30)));
        Winner w = Winner.pick(o, same).orElseThrow();
        assertThat(w.arm().label()).isEqualTo("A");
        assertThat(w.reason()).isEqualTo("A has the least GPU-hours with SLO attainment >= 99 %: 24.000 GPU-hours at 100.00 % SLO attainment; "
                + "3 of 3 configurations were eligible; tied on GPU-hours with B: tied on worst-case SLO attainment too, so the first in the "
                + "experiment's order wins; runner-up C at 30.000 GPU-hours (+25.0 %).");
        // the same figure, but B's attainment is the higher: B wins, and says why
        List<ScenarioResult> slo = List.of(result(0, "A", c, totals(10, 0.995, 24)), result(1, "B", c, totals(10, 1.0, 24)));
        assertThat(Winner.pick(o, slo).orElseThrow().reason())
                .contains("B has the least").contains("; tied on GPU-hours with A: won on its higher worst-case SLO attainment.");
        // a hair dearer is no tie, and not "+0.0 %" either
        List<ScenarioResult> hair = List.of(result(0, "A", c, totals(10, 1.0, 24)), result(1, "B", c, totals(10, 1.0, 24.0001)));
        assertThat(Winner.pick(o, hair).orElseThrow().reason()).endsWith("; runner-up B at 24.000 GPU-hours (less than 0.1 % more).");
    }

    @Test
    void overSeveralContextsTheWinnerSaysItsFigureIsASumAndItsAttainmentTheWorst() {
        List<Scenario> two = Expansion.scenarios(SpecReader.parse("schema: prescale.experiment/v1\nname: t\ntrace: synthetic\nseed: [1, 2]\n"
                + "policies: [reactive.hpa]\n", Path.of(".")));
        Scenario.Context c1 = two.get(0).context(), c2 = two.get(1).context();
        // A: 10 + 14 = 24 GPU-h, worst 99.5 %; it read "24.000 GPU-hours at 99.50 % SLO attainment", as if one run's
        List<ScenarioResult> rs = List.of(result(0, "A", c1, totals(10, 1.0, 10)), result(1, "A", c2, totals(10, 0.995, 14)),
                result(2, "B", c1, totals(10, 1.0, 20)), result(3, "B", c2, totals(10, 1.0, 20)));
        Objective o = new Objective(Metric.gpuHours, 0.99);
        Winner w = Winner.pick(o, rs).orElseThrow();
        assertThat(w.reason()).startsWith("A has the least GPU-hours with SLO attainment >= 99 %: 24.000 GPU-hours in all 2 contexts together, "
                + "at worst 99.50 % SLO attainment; 2 of 2 configurations were eligible; runner-up B at 40.000 GPU-hours (+66.7 %).");
        assertThat(w.policyFile("t", null).objective()).endsWith("(sweep t: 24.000 GPU-hours in all 2 contexts together, at worst 99.50 %)");
        // none meets 99.5 %: the closest is B, whose worst context reached 99.3 % (A's 99.0 %)
        List<ScenarioResult> short_ = List.of(result(0, "A", c1, totals(10, 0.998, 10)), result(1, "A", c2, totals(10, 0.99, 14)),
                result(2, "B", c1, totals(10, 0.994, 20)), result(3, "B", c2, totals(10, 0.993, 20)));
        assertThat(Winner.pick(new Objective(Metric.gpuHours, 0.995), short_)).isEmpty();
        assertThat(Winner.noWinnerReason(new Objective(Metric.gpuHours, 0.995), short_))
                .isEqualTo("no configuration met SLO attainment >= 99.50 %; the closest was B at 99.30 % in its worst context (40.000 GPU-hours in all 2 together)");
    }

    @Test
    void theTargetIsAPercentageInTheDecimalsItWasWrittenWith() {
        // 100 * 0.57 is 56.99999999999999 in doubles: the chart's marker and the text said so
        assertThat(ExperimentSpec.percent(0.57)).isEqualTo("57");
        assertThat(ExperimentSpec.percent(0.995)).isEqualTo("99.5");
        assertThat(ExperimentSpec.percent(1)).isEqualTo("100");
        assertThat(new Objective(Metric.costUsd, 0.999).text()).isEqualTo("least cost (USD) with SLO attainment >= 99.9 %");
    }

    private static Scenario.Context context() {
        return Expansion.scenarios(SpecReader.parse("schema: prescale.experiment/v1\nname: t\ntrace: synthetic\npolicies: [reactive.hpa]\n",
                Path.of("."))).get(0).context();
    }

    private static ScenarioResult result(int index, String arm, Scenario.Context c, RunResult.Totals t) {
        RunResult r = new RunResult("reactive.hpa", Map.of(), t, List.of(), List.of(), 0, new RunResult.Invariants(true, 0.5, true, 0),
                new double[0][], new RunResult.Attribution(1, 1, 0), null);
        return new ScenarioResult(new Scenario(index, arm, arm, c, "reactive.hpa", Map.of(), "policies[" + index + "]"), r);
    }
}
