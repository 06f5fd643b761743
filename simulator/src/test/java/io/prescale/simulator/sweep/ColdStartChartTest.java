package io.prescale.simulator.sweep;

import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.report.PolicyColors;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ColdStartChartTest {
    @Test
    void theFrontierKeepsConfigurationsNoOtherBeatsOnBothAxes() {
        // (memory, cold starts): (10, 50) (20, 30) (25, 40) (30, 10) (40, 10) (5, NaN)
        // by memory: 10 → 50 kept; 20 → 30 < 50 kept; 25 → 40 ≥ 30 beaten by (20, 30); 30 → 10 kept;
        // 40 → 10 not below 10, beaten by (30, 10) with less memory; NaN is left out
        double[] memory = {25, 10, 40, 30, 20, 5};
        double[] cold = {40, 50, 10, 10, 30, Double.NaN};
        assertThat(ColdStartChart.frontier(memory, cold)).containsExactly(1, 4, 3);
    }

    @Test
    void ofEqualPointsTheFirstIsKept() {
        assertThat(ColdStartChart.frontier(new double[]{7, 7}, new double[]{3, 3})).containsExactly(0);
        assertThat(ColdStartChart.frontier(new double[]{}, new double[]{})).isEmpty();
    }

    @Test
    void noColdStartAnywhereDrawsACountAxisAndEachPolicyInItsOwnColour() {
        ExperimentSpec spec = SpecReader.parse("schema: prescale.experiment/v1\nname: t\ntrace: synthetic\npolicies: [reactive.hpa, oracle]\n", Path.of("."));
        Scenario.Context c = Expansion.scenarios(spec).get(0).context();
        List<ScenarioResult> rs = List.of(result(0, "reactive.hpa", c, 0.991, 100), result(1, "oracle", c, 0.999, 80));
        JFreeChart chart = ColdStartChart.chart(spec, rs, ColdStartChart.Measure.REQUESTS);
        XYPlot plot = chart.getXYPlot();
        // every count is 0: the axis spans at least one request (it spanned 1e-8 and read 5E-9 ... -5E-9)
        assertThat(plot.getRangeAxis().getRange().getLength()).isGreaterThanOrEqualTo(1);
        assertThat(plot.getRangeAxis().getLowerBound()).isBetween(-0.1, 0.0);
        assertThat(plot.getRenderer().getSeriesPaint(plot.getDataset().indexOf("reactive.hpa"))).isEqualTo(PolicyColors.of("reactive.hpa"));
        assertThat(plot.getRenderer().getSeriesPaint(plot.getDataset().indexOf("oracle (needs the future)"))).isEqualTo(PolicyColors.of("oracle"));
        // the bests chart colours its bars the same way
        org.jfree.chart.plot.CategoryPlot bars = BestsChart.chart(spec, ContextBests.of(spec.objective(), rs)).getCategoryPlot();
        assertThat(bars.getRenderer().getSeriesPaint(bars.getDataset().getRowIndex("reactive.hpa"))).isEqualTo(PolicyColors.of("reactive.hpa"));
        assertThat(bars.getRenderer().getSeriesPaint(bars.getDataset().getRowIndex("oracle (needs the future)"))).isEqualTo(PolicyColors.of("oracle"));
    }

    @Test
    void theLoadsChartPlotsReplicaLoadsAgainstIdleMemory() {
        ExperimentSpec spec = SpecReader.parse("schema: prescale.experiment/v1\nname: t\ntrace: synthetic\npolicies: [reactive.hpa, oracle]\n", Path.of("."));
        Scenario.Context c = Expansion.scenarios(spec).get(0).context();
        // each result: 3 replica loads, 0 requests that met one, 40 + index idle GB-hours
        List<ScenarioResult> rs = List.of(result(0, "reactive.hpa", c, 0.991, 100), result(1, "oracle", c, 0.999, 80));
        XYPlot loads = ColdStartChart.chart(spec, rs, ColdStartChart.Measure.LOADS).getXYPlot();
        int hpa = loads.getDataset().indexOf("reactive.hpa");
        assertThat(loads.getDataset().getXValue(hpa, 0)).isEqualTo(40.0);
        assertThat(loads.getDataset().getYValue(hpa, 0)).isEqualTo(3.0);
        assertThat(loads.getRangeAxis().getLabel()).isEqualTo("replica loads");
        XYPlot requests = ColdStartChart.chart(spec, rs, ColdStartChart.Measure.REQUESTS).getXYPlot();
        assertThat(requests.getDataset().getYValue(requests.getDataset().indexOf("reactive.hpa"), 0)).isEqualTo(0.0);
    }

    @Test
    void pointsAtZeroAreNotOnTheAxisLines() {
        ExperimentSpec spec = SpecReader.parse("schema: prescale.experiment/v1\nname: t\ntrace: synthetic\npolicies: [reactive.hpa, oracle]\n", Path.of("."));
        Scenario.Context c = Expansion.scenarios(spec).get(0).context();
        List<ScenarioResult> rs = List.of(result(0, "reactive.hpa", c, 0.991, 100), result(1, "oracle", c, 0.999, 80));
        XYPlot requests = ColdStartChart.chart(spec, List.of(rs.get(0), withColdRequests(rs.get(1), 2400)), ColdStartChart.Measure.REQUESTS).getXYPlot();
        // 0 and 2,400 requests that met a cold start: the axis stopped at 0, with the zero on its line; it now reaches
        // below 0 by its margin (5 % of 2,400 = 120)
        assertThat(requests.getRangeAxis().getLowerBound()).isLessThan(-100);
    }

    @Test
    void theBestsChartSaysItsTargetAsWrittenAndWhichBestCannotRunLive() {
        // 0.57 read "at SLO attainment >= 56.99999999999999 %"; the confidence margin was left out
        ExperimentSpec spec = SpecReader.parse("schema: prescale.experiment/v1\nname: t\ntrace: synthetic\n"
                + "objective: {minimize: gpuHours, sloTarget: 0.57, confidence: 0.95}\npolicies: [reactive.hpa]\n", Path.of("."));
        Scenario.Context c = Expansion.scenarios(spec).get(0).context();
        ScenarioResult fast = result(0, "reactive.hpa", c, 0.99, 100);
        RunResult x = new RunResult("reactive.hpa", Map.of("syncPeriod", "500ms"), fast.result().totals(), List.of(), List.of(), 0,
                fast.result().invariants(), new double[0][], fast.result().attribution(), null);
        List<ContextBests> bests = ContextBests.of(spec.objective(), List.of(new ScenarioResult(fast.scenario(), x)));
        org.jfree.chart.plot.CategoryPlot bars = BestsChart.chart(spec, bests).getCategoryPlot();
        assertThat(bars.getRangeAxis().getLabel()).isEqualTo("GPU-hours at SLO attainment >= 57 % at 95 % confidence");
        // a 500 ms sync period: the live runner ticks at most once a second
        assertThat(bars.getDataset().getRowKeys()).containsExactly("reactive.hpa (cannot run live)");
    }

    @Test
    void countsThatSpanOrdersOfMagnitudeGoOnALogAxisWithNoneOnAMarkedLine() {
        ExperimentSpec spec = SpecReader.parse("schema: prescale.experiment/v1\nname: t\ntrace: synthetic\npolicies: [reactive.hpa, oracle]\n", Path.of("."));
        Scenario.Context c = Expansion.scenarios(spec).get(0).context();
        // 0, 4 and 5,000 requests that met a cold start: on a linear axis to 5,000 the 4 sat on the zero line
        List<ScenarioResult> rs = List.of(withColdRequests(result(0, "reactive.hpa", c, 0.99, 100), 0),
                withColdRequests(result(1, "reactive.knative", c, 0.99, 100), 4), withColdRequests(result(2, "oracle", c, 0.999, 80), 5000));
        XYPlot plot = ColdStartChart.chart(spec, rs, ColdStartChart.Measure.REQUESTS).getXYPlot();
        assertThat(plot.getRangeAxis()).isInstanceOf(org.jfree.chart.axis.LogAxis.class);
        assertThat(plot.getRangeAxis().getLabel()).isEqualTo("requests that met a cold start (log scale)");
        // none is drawn at half the fewest (4 / 2 = 2), on a line marked 0
        assertThat(plot.getDataset().getYValue(plot.getDataset().indexOf("reactive.hpa"), 0)).isEqualTo(2.0);
        assertThat(plot.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND)).singleElement()
                .satisfies(m -> assertThat(((org.jfree.chart.plot.ValueMarker) m).getValue()).isEqualTo(2.0))
                .satisfies(m -> assertThat(m.getLabel()).isEqualTo("0"));
        // 4 to 300 is under 100x: the linear axis stays, and the values are as counted
        List<ScenarioResult> near = List.of(withColdRequests(result(0, "reactive.hpa", c, 0.99, 100), 0),
                withColdRequests(result(1, "oracle", c, 0.999, 80), 300));
        XYPlot linear = ColdStartChart.chart(spec, near, ColdStartChart.Measure.REQUESTS).getXYPlot();
        assertThat(linear.getRangeAxis()).isInstanceOf(org.jfree.chart.axis.NumberAxis.class);
        assertThat(linear.getDataset().getYValue(linear.getDataset().indexOf("reactive.hpa"), 0)).isEqualTo(0.0);
    }

    private static ScenarioResult withColdRequests(ScenarioResult r, long n) {
        RunResult.Totals t = r.result().totals();
        RunResult.Totals u = new RunResult.Totals(t.model(), t.requests(), t.served(), t.dropped(), t.timedOut(), t.inFlight(), t.sloAttainment(),
                t.p50Ms(), t.p95Ms(), t.p99Ms(), t.gpuHours(), t.costUsd(), t.coldStarts(), t.meanUtilization(), t.idleGpuMemoryGbHours(), n);
        RunResult x = new RunResult(r.result().policy(), Map.of(), u, List.of(), List.of(), 0, r.result().invariants(),
                new double[0][], r.result().attribution(), null);
        return new ScenarioResult(r.scenario(), x);
    }

    private static ScenarioResult result(int index, String policy, Scenario.Context c, double slo, double gpuHours) {
        RunResult.Totals t = new RunResult.Totals("all", 10_000, 10_000, 0, 0, 0, slo, 1, 1, 1, gpuHours, gpuHours, 3, 0.5, 40 + index, 0);
        RunResult r = new RunResult(policy, Map.of(), t, List.of(), List.of(), 0, new RunResult.Invariants(true, 0.5, true, 0),
                new double[0][], new RunResult.Attribution(1, 1, 0), null);
        return new ScenarioResult(new Scenario(index, policy, policy, c, policy, Map.of(), "policies[" + index + "]"), r);
    }
}
