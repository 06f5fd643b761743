package io.prescale.simulator.report;

import io.prescale.simulator.metrics.RunResult;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tick labels of the log axes read as plain numbers to two significant digits. */
class ChartsTest {

    @Test
    void logTicksAreLabelledToTwoSignificantDigits() {
        Charts.TwoSignificantDigits f = new Charts.TwoSignificantDigits();
        // ticks fall at powers of 10^0.1: 10^3.8 = 6,309.57..., 10^3.1 = 1,258.93..., 10^2.7 = 501.19..., 10^-0.6 = 0.2512...
        assertThat(f.format(Math.pow(10, 3.8))).isEqualTo("6,300");
        assertThat(f.format(Math.pow(10, 3.1))).isEqualTo("1,300");
        assertThat(f.format(Math.pow(10, 2.7))).isEqualTo("500");
        assertThat(f.format(Math.pow(10, -0.6))).isEqualTo("0.25");
        assertThat(f.format(1000.0)).isEqualTo("1,000");
        assertThat(f.format(0.0)).isEqualTo("0");
        assertThat(f.format(12L)).isEqualTo("12");
    }

    @Test
    void aLatencyCdfOfOneLatencySpansAFifthOfIt() {
        // two requests, both served in 60 ms: the CDF's points are all at 60 ms
        RunResult.Totals t = new RunResult.Totals("all", 2, 2, 0, 0, 0, 1.0, 60, 60, 60, 0.33, 0.27, 0, 0.5, 0, 0);
        RunResult r = new RunResult("oracle", Map.of(), t, List.of(), List.of(), 0, new RunResult.Invariants(true, 0.5, true, 0),
                new double[][]{{60, 0.01}, {60, 0.5}, {60, 1.0}}, new RunResult.Attribution(1, 1, 0), null);
        JFreeChart chart = Charts.latencyCdfChart(List.of(r));
        ValueAxis x = chart.getXYPlot().getDomainAxis();
        // it spanned a sliver of 60 ms and labelled every tick "60"; now at least 0.2 x 60 = 12 ms around it
        assertThat(x.getRange().getLength()).isGreaterThanOrEqualTo(12);
        assertThat(x.getRange().contains(60)).isTrue();
        assertThat(x.getLowerBound()).isPositive();
        assertThat(tickLabels(chart)).hasSizeGreaterThan(1).doesNotHaveDuplicates();
    }

    @Test
    void aLatencyCdfOfNoRequestDrawsItsEmptyAxis() {
        // a window with no request: no latency at all (a minimum axis span of 0.2 x 0 threw)
        RunResult.Totals t = new RunResult.Totals("all", 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.03, 0.03, 0, 0, 0, 0);
        RunResult r = new RunResult("oracle", Map.of(), t, List.of(), List.of(), 0, new RunResult.Invariants(true, 0.5, true, 0),
                new double[0][], new RunResult.Attribution(1, 1, 0), null);
        assertThat(Charts.latencyCdfChart(List.of(r)).getXYPlot().getDataset().getItemCount(0)).isZero();
    }

    @Test
    void aLatencyCdfOverDecadesKeepsItsLogAxis() {
        RunResult.Totals t = new RunResult.Totals("all", 2, 2, 0, 0, 0, 1.0, 60, 60, 60, 0.33, 0.27, 0, 0.5, 0, 0);
        RunResult r = new RunResult("oracle", Map.of(), t, List.of(), List.of(), 0, new RunResult.Invariants(true, 0.5, true, 0),
                new double[][]{{2000, 0.01}, {9000, 0.5}, {130000, 1.0}}, new RunResult.Attribution(1, 1, 0), null);
        JFreeChart chart = Charts.latencyCdfChart(List.of(r));
        assertThat(chart.getXYPlot().getDomainAxis()).isInstanceOf(org.jfree.chart.axis.LogAxis.class);
        assertThat(tickLabels(chart)).hasSizeGreaterThan(1).doesNotHaveDuplicates();
    }

    /** The x axis's tick labels as drawn at the PNG's size. */
    static List<String> tickLabels(JFreeChart chart) {
        BufferedImage img = new BufferedImage(Charts.W, Charts.H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.draw(g, new Rectangle2D.Double(0, 0, Charts.W, Charts.H), info);
        List<String> labels = new ArrayList<>();
        for (Object o : chart.getXYPlot().getDomainAxis().refreshTicks(g, new AxisState(), info.getPlotInfo().getDataArea(), RectangleEdge.BOTTOM)) {
            String text = ((ValueTick) o).getText();
            if (o instanceof LogTick t && t.getAttributedLabel() != null) { // a log axis's labels are attributed strings
                StringBuilder b = new StringBuilder();
                var it = t.getAttributedLabel().getIterator();
                for (char c = it.first(); c != java.text.CharacterIterator.DONE; c = it.next()) b.append(c);
                text = b.toString();
            }
            if (text != null && !text.isEmpty()) labels.add(text);
        }
        g.dispose();
        return labels;
    }

    @Test
    void aScatterPointAtZeroIsNotOnTheAxisLine() {
        // one policy served nothing within its SLO (0 %), one all (100 %): 0.08 x 100 = 8 points of margin below 0
        XYPlot plot = Charts.costVsSloChart(List.of(result("reactive.knative", 0.0, 0.03, 0), result("oracle", 1.0, 0.07, 12))).getXYPlot();
        assertThat(plot.getDomainAxis().getLowerBound()).isLessThan(-5);
        assertThat(plot.getDomainAxis().getUpperBound()).isGreaterThan(105);
        // idle GPU memory 0 and 12 GB-hours
        XYPlot cold = Charts.coldStartsChart(List.of(result("reactive.knative", 0.0, 0.03, 0), result("oracle", 1.0, 0.07, 12))).getXYPlot();
        assertThat(cold.getDomainAxis().getLowerBound()).isNegative();
    }

    @Test
    void theCostChartSaysItPlotsGpuHours() {
        // its y axis is GPU-hours (not the USD bill): the title said "Cost"
        var c = Charts.costVsSloChart(List.of(result("oracle", 1.0, 0.07, 12)));
        assertThat(c.getTitle().getText()).isEqualTo("GPU-hours vs SLO attainment");
        assertThat(c.getXYPlot().getRangeAxis().getLabel()).isEqualTo("GPU-hours");
    }

    private static RunResult result(String policy, double slo, double gpuHours, double idleGbHours) {
        RunResult.Totals t = new RunResult.Totals("all", 2, 2, 0, 0, 0, slo, 60, 60, 60, gpuHours, gpuHours, 0, 0.5, idleGbHours, 0);
        return new RunResult(policy, Map.of(), t, List.of(), List.of(), 0, new RunResult.Invariants(true, 0.5, true, 0),
                new double[][]{{60, 1.0}}, new RunResult.Attribution(1, 1, 0), null);
    }

    @Test
    void sparseDemandBetweenEmptyIntervalsIsDrawnAsDots() {
        // one model, 60-second intervals: 0, 3, 0, 0, 6, 6 requests; on the log axis 3 is cut off on both sides
        long[] arrivals = {0, 3, 0, 0, 6, 6};
        List<RunResult.SeriesRow> rows = new ArrayList<>();
        for (int k = 0; k < arrivals.length; k++)
            rows.add(new RunResult.SeriesRow(60.0 * k, "m", arrivals[k], arrivals[k], 0, 0, 0, 0, 1, 1, 0, 0, 0, 0));
        RunResult.Totals t = new RunResult.Totals("all", 15, 15, 0, 0, 0, 1, 60, 60, 60, 1, 1, 0, 0.5, 0, 0);
        RunResult r = new RunResult("oracle", Map.of(), t, List.of(), rows, 0, new RunResult.Invariants(true, 0.5, true, 0),
                new double[][]{{60, 1.0}}, new RunResult.Attribution(1, 1, 0), null);
        XYPlot plot = Charts.demandVsCapacityChart(List.of(r), Map.of(), 0, 60).getXYPlot();
        XYLineAndShapeRenderer rr = (XYLineAndShapeRenderer) plot.getRenderer();
        int demand = plot.getDataset().indexOf("demand (req/s)");
        assertThat(rr.getSeriesShapesVisible(demand)).isTrue();
        // the capacity line (no model spec here: 0 throughout) has nothing to draw as dots
        assertThat(rr.getSeriesShapesVisible(plot.getDataset().indexOf("oracle capacity"))).isFalse();
        org.jfree.data.xy.XYSeries dense = new org.jfree.data.xy.XYSeries("d");
        for (int k = 0; k < 4; k++) dense.add(k, k == 0 ? 0 : 5);
        assertThat(Charts.hasIsolatedPoint(dense)).isFalse();
    }

    @Test
    void oneRequestInAnIntervalIsAboveTheDemandAxisFloor() {
        // 10-minute intervals with 0, 1, 1, 0 requests: 1 / 600 s = 0.00167 req/s, under the axis's old floor of 0.01
        long[] arrivals = {0, 1, 1, 0};
        List<RunResult.SeriesRow> rows = new ArrayList<>();
        for (int k = 0; k < arrivals.length; k++)
            rows.add(new RunResult.SeriesRow(600.0 * k, "m", arrivals[k], arrivals[k], 0, 0, 0, 0, 1, 1, 0, 0, 0, 0));
        RunResult.Totals t = new RunResult.Totals("all", 2, 2, 0, 0, 0, 1, 60, 60, 60, 1, 1, 0, 0.5, 0, 0);
        RunResult r = new RunResult("oracle", Map.of(), t, List.of(), rows, 0, new RunResult.Invariants(true, 0.5, true, 0),
                new double[][]{{60, 1.0}}, new RunResult.Attribution(1, 1, 0), null);
        XYPlot plot = Charts.demandVsCapacityChart(List.of(r), Map.of(), 0, 600).getXYPlot();
        assertThat(plot.getRangeAxis().getLowerBound()).isLessThan(1.0 / 600);
        assertThat(plot.getRangeAxis().getUpperBound()).isGreaterThan(1.0 / 600);
    }
}
