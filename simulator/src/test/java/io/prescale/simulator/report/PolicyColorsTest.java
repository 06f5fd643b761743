package io.prescale.simulator.report;

import io.prescale.core.model.ModelSpec;
import io.prescale.simulator.metrics.RunResult;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Paint;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A policy keeps its colour across a run's charts, and every colour reads on white. */
class PolicyColorsTest {

    private static RunResult run(String policy, List<RunResult.SeriesRow> rows, double[][] cdf) {
        RunResult.Totals t = new RunResult.Totals("all", 10, 10, 0, 0, 0, 0.99, 1, 2, 3, 4, 5, 1, 0.5, 6, 7);
        return new RunResult(policy, Map.of(), t, List.of(), rows, 0, new RunResult.Invariants(true, 0.5, true, 0),
                cdf, new RunResult.Attribution(1, 1, 0), null);
    }

    private static RunResult.SeriesRow row(double start) {
        return new RunResult.SeriesRow(start, "m", 60, 60, 0, 0, 2, 0, 1, 1, 0, 0, 0, 0);
    }

    private static Paint paintOf(JFreeChart c, String key) {
        XYPlot plot = c.getXYPlot();
        int i = plot.getDataset().indexOf(key);
        assertThat(i).as(key).isGreaterThanOrEqualTo(0);
        return plot.getRenderer().getSeriesPaint(i);
    }

    @Test
    void aPolicyHasOneColourInEveryChartOfTheRun() {
        double[][] cdf = {{10, 0.5}, {20, 1}};
        // the order differs from the catalog's and the demand line comes first in one chart: neither shifts colours
        List<RunResult> results = List.of(run("oracle", List.of(row(0), row(60)), cdf),
                run("reactive.hpa", List.of(row(0), row(60)), cdf), run("predictive.headroom", List.of(row(0), row(60)), cdf));
        Map<String, ModelSpec> specs = Map.of();
        JFreeChart demand = Charts.demandVsCapacityChart(results, specs, 0, 60);
        JFreeChart latency = Charts.latencyCdfChart(results);
        JFreeChart cost = Charts.costVsSloChart(results);
        JFreeChart cold = Charts.coldStartsChart(results);
        for (RunResult r : results) {
            Color c = PolicyColors.of(r.policy());
            assertThat(paintOf(demand, r.policy() + " capacity")).as(r.policy()).isEqualTo(c);
            assertThat(paintOf(latency, r.policy())).as(r.policy()).isEqualTo(c);
            assertThat(paintOf(cost, r.policy())).as(r.policy()).isEqualTo(c);
            assertThat(paintOf(cold, r.policy())).as(r.policy()).isEqualTo(c);
        }
        assertThat(paintOf(demand, "demand (req/s)")).isEqualTo(PolicyColors.DEMAND);
        assertThat(demand.getXYPlot().getBackgroundPaint()).isEqualTo(Color.WHITE);
        assertThat(latency.getXYPlot().getBackgroundPaint()).isEqualTo(Color.WHITE);
    }

    @Test
    void everyPolicyOfTheCatalogGetsItsOwnColourReadableOnWhite() {
        List<String> ids = List.copyOf(io.prescale.policies.PolicyCatalog.ids());
        assertThat(new HashSet<>(ids.stream().map(PolicyColors::of).toList())).hasSize(ids.size());
        // a catalog twice as long as today's still gets a colour per policy, each readable:
        // WCAG contrast (1.05) / (L + 0.05) against white; JFreeChart's default yellow 0xFFFF55 gives 1.07
        int n = 2 * Math.max(ids.size(), PolicyColors.PALETTE.size());
        List<Color> colours = java.util.stream.IntStream.range(0, n).mapToObj(PolicyColors::ofIndex).toList();
        assertThat(new HashSet<>(colours)).hasSize(n);
        for (Color c : colours) assertThat(1.05 / (luminance(c) + 0.05)).as(c.toString()).isGreaterThanOrEqualTo(3.0);
        assertThat(PolicyColors.of("not.in.the.catalog")).isEqualTo(PolicyColors.of("not.in.the.catalog"));
    }

    @Test
    void aWindowOfOneReportIntervalDrawsItsPointsOnAnAxisOfThatInterval() {
        List<RunResult> results = List.of(run("reactive.hpa", List.of(row(0)), new double[][]{{512, 1}}));
        JFreeChart demand = Charts.demandVsCapacityChart(results, Map.of(), 0, 60);
        XYLineAndShapeRenderer rr = (XYLineAndShapeRenderer) demand.getXYPlot().getRenderer();
        // one row each: a line through one point draws nothing, so the points are drawn as dots
        assertThat(rr.getSeriesShapesVisible(0)).isTrue();
        assertThat(rr.getSeriesShapesVisible(1)).isTrue();
        // the axis spans at least the 60 s report interval (was +-5e-9 h around the one point)
        assertThat(demand.getXYPlot().getDomainAxis().getRange().getLength()).isGreaterThanOrEqualTo(60 / 3600.0);
        JFreeChart latency = Charts.latencyCdfChart(results);
        assertThat(((XYLineAndShapeRenderer) latency.getXYPlot().getRenderer()).getSeriesShapesVisible(0)).isTrue();
    }

    private static double luminance(Color c) {
        double[] v = {c.getRed(), c.getGreen(), c.getBlue()};
        for (int i = 0; i < 3; i++) {
            double s = v[i] / 255;
            v[i] = s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
    }
}
