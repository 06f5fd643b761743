package io.prescale.simulator.sweep;

import io.prescale.simulator.metrics.RunResult;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** pareto.png's SLO axis stays readable when every scenario lands on one attainment. */
class ParetoChartTest {
    @Test
    void scenariosAllAtOneAttainmentGetAnAxisOfAPercentagePointWithPlainLabels() {
        ExperimentSpec spec = SpecReader.parse("schema: prescale.experiment/v1\nname: t\ntrace: synthetic\npolicies: [reactive.hpa, oracle]\n", Path.of("."));
        Scenario.Context c = Expansion.scenarios(spec).get(0).context();
        // both at 100 % SLO attainment, 4 GPU-hours: one x value
        List<ScenarioResult> rs = List.of(result(0, "reactive.hpa", c), result(1, "oracle", c));
        XYPlot plot = SweepReport.paretoChart(spec, rs, Optional.empty()).getXYPlot();
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        // the axis spanned about 1e-14 around 100, and every tick read "1E2"
        assertThat(x.getRange().getLength()).isGreaterThanOrEqualTo(1);
        assertThat(x.getRange().contains(100)).isTrue();
        assertThat(x.getNumberFormatOverride().format(100.0)).isEqualTo("100");
        assertThat(x.getNumberFormatOverride().format(99.5)).isEqualTo("99.5");
    }

    @Test
    void aLogCostAxisIsLabelledToTwoSignificantDigits() {
        ExperimentSpec spec = SpecReader.parse("schema: prescale.experiment/v1\nname: t\ntrace: synthetic\npolicies: [reactive.hpa, oracle]\n", Path.of("."));
        Scenario.Context c = Expansion.scenarios(spec).get(0).context();
        // 4 and 170 GPU-hours: more than 10x apart, a log axis; its ticks at powers of 10^0.1 read "199.5", "158.5"
        List<ScenarioResult> rs = List.of(result(0, "reactive.hpa", c, 0.99, 170), result(1, "oracle", c, 1.0, 4));
        org.jfree.chart.axis.ValueAxis y = SweepReport.paretoChart(spec, rs, Optional.empty()).getXYPlot().getRangeAxis();
        assertThat(y).isInstanceOf(org.jfree.chart.axis.LogAxis.class);
        java.text.NumberFormat f = ((org.jfree.chart.axis.LogAxis) y).getNumberFormatOverride();
        assertThat(f.format(Math.pow(10, 2.3))).isEqualTo("200");
        assertThat(f.format(Math.pow(10, 2.1))).isEqualTo("130");
    }

    @Test
    void labelsOfPointsCrowdedNearTheTopAttainmentDoNotPrintOverOneAnother() {
        ExperimentSpec spec = SpecReader.parse("schema: prescale.experiment/v1\nname: t\ntrace: synthetic\npolicies: [reactive.hpa, oracle]\n", Path.of("."));
        Scenario.Context c = Expansion.scenarios(spec).get(0).context();
        // three frontier points within 0.04 points of attainment and 2 GPU-hours of each other, on an axis that reaches
        // 300 GPU-hours: about 3 pixels apart, their labels were printed over one another
        List<ScenarioResult> rs = List.of(result(0, "reactive.hpa", c, 0.9960, 60), result(1, "reactive.knative", c, 0.9962, 61),
                result(2, "predictive.headroom", c, 0.9964, 62), result(3, "reactive.ray-serve", c, 0.90, 300));
        org.jfree.chart.JFreeChart chart = SweepReport.paretoChart(spec, rs, Optional.empty());
        XYPlot plot = chart.getXYPlot();
        org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
        chart.createBufferedImage(SweepReport.WIDTH, SweepReport.HEIGHT, info);
        java.awt.geom.Rectangle2D area = info.getPlotInfo().getDataArea();
        List<Double> ys = new java.util.ArrayList<>();
        for (Object a : plot.getAnnotations())
            if (a instanceof org.jfree.chart.annotations.XYTextAnnotation t && !t.getText().contains("ray-serve"))
                ys.add(plot.getRangeAxis().valueToJava2D(t.getY(), area, plot.getRangeAxisEdge()));
        assertThat(ys).hasSize(3);
        java.util.Collections.sort(ys);
        // 10-point type: a line apart at least (was about 3 pixels)
        assertThat(ys.get(1) - ys.get(0)).isGreaterThanOrEqualTo(11);
        assertThat(ys.get(2) - ys.get(1)).isGreaterThanOrEqualTo(11);
        // each moved label is joined to its point
        assertThat(plot.getAnnotations().stream().filter(a -> a instanceof org.jfree.chart.annotations.XYLineAnnotation)).hasSizeGreaterThanOrEqualTo(2);
    }

    private static ScenarioResult result(int index, String policy, Scenario.Context c) {
        return result(index, policy, c, 1.0, 4);
    }

    private static ScenarioResult result(int index, String policy, Scenario.Context c, double slo, double gpuHours) {
        RunResult.Totals t = new RunResult.Totals("all", 10_000, 10_000, 0, 0, 0, slo, 1, 1, 1, gpuHours, gpuHours, 3, 0.5, 40, 0);
        RunResult r = new RunResult(policy, Map.of(), t, List.of(), List.of(), 0, new RunResult.Invariants(true, 0.5, true, 0),
                new double[0][], new RunResult.Attribution(1, 1, 0), null);
        return new ScenarioResult(new Scenario(index, policy, policy, c, policy, Map.of(), "policies[" + index + "]"), r);
    }
}
