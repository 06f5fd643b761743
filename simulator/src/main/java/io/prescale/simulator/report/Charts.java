package io.prescale.simulator.report;

import io.prescale.core.model.ModelSpec;
import io.prescale.simulator.metrics.RunResult;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The run's PNG charts (JFreeChart, headless). */
public final class Charts {
    private Charts() {}

    static final int W = 1000, H = 560;

    /** An XY chart with its legend, on white with light grey gridlines (the sweep's charts). */
    public static JFreeChart xy(String title, String x, String y, XYSeriesCollection data) {
        JFreeChart c = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
        whiteGrid(c.getXYPlot());
        return c;
    }

    public static void whiteGrid(XYPlot plot) {
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
    }

    /** Demand (requests/s, all models) and each policy's provisioned serving capacity (requests/s) over time. */
    public static void demandVsCapacity(Path file, List<RunResult> results, Map<String, ModelSpec> specs, double from, double reportSeconds) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), demandVsCapacityChart(results, specs, from, reportSeconds), W, H);
    }

    static JFreeChart demandVsCapacityChart(List<RunResult> results, Map<String, ModelSpec> specs, double from, double reportSeconds) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<java.awt.Color> paints = new java.util.ArrayList<>();
        if (!results.isEmpty()) {
            XYSeries demand = new XYSeries("demand (req/s)");
            for (Map.Entry<Double, Double> e : sumBy(results.get(0), r -> (double) r.arrivals()).entrySet())
                demand.add((e.getKey() - from) / 3600, e.getValue() / reportSeconds);
            data.addSeries(demand);
            paints.add(PolicyColors.DEMAND);
        }
        for (RunResult r : results) {
            XYSeries cap = new XYSeries(r.policy() + " capacity");
            for (Map.Entry<Double, Double> e : sumBy(r, row -> {
                ModelSpec s = specs.get(row.model());
                return s == null ? 0 : row.replicas() * s.latency().maxThroughput(s.maxBatch());
            }).entrySet()) cap.add((e.getKey() - from) / 3600, e.getValue());
            data.addSeries(cap);
            paints.add(PolicyColors.of(r.policy()));
        }
        JFreeChart c = ChartFactory.createXYLineChart("Demand vs provisioned capacity", "hours since start",
                "requests per second", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = c.getXYPlot();
        whiteGrid(plot);
        // capacities span orders of magnitude (an over-provisioning baseline next to the oracle): log scale
        LogAxis y = logAxis("requests per second (log scale)");
        // the axis stopped at 0.01 req/s: one request in a 10-minute interval (0.0017 req/s) fell below the chart
        double least = Double.POSITIVE_INFINITY;
        for (int i = 0; i < data.getSeriesCount(); i++)
            for (int k = 0; k < data.getItemCount(i); k++) {
                double v = data.getYValue(i, k);
                if (v > 0) least = Math.min(least, v);
            }
        if (least < 0.02) y.setSmallestValue(least / 2);
        plot.setRangeAxis(y);
        // a window shorter than one report interval has one row: the axis spans that interval, not 1e-8 h
        ((org.jfree.chart.axis.NumberAxis) plot.getDomainAxis()).setAutoRangeMinimumSize(Math.max(reportSeconds / 3600, 1e-6));
        colour(plot, data, paints);
        if (!results.isEmpty()) ((XYLineAndShapeRenderer) plot.getRenderer()).setSeriesStroke(0, new java.awt.BasicStroke(2f));
        return c;
    }

    /**
     * Paints series {@code i} with {@code paints.get(i)}; a series of one point (a window of one report interval,
     * a run with one latency) is drawn as a dot, as a line of one point draws nothing. So is a series with a
     * positive point between zeros (sparse demand: an interval with a request or two among empty ones): on a log
     * axis a zero has no place, no segment reaches that point, and the interval's demand was not drawn at all.
     */
    static void colour(XYPlot plot, XYSeriesCollection data, List<java.awt.Color> paints) {
        XYLineAndShapeRenderer rr = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            rr.setSeriesPaint(i, paints.get(i));
            XYSeries s = data.getSeries(i);
            boolean dots = s.getItemCount() == 1 || hasIsolatedPoint(s);
            rr.setSeriesShapesVisible(i, dots);
            if (dots && s.getItemCount() > 1) rr.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2, -2, 4, 4));
        }
    }

    /** A positive value whose neighbours are both zero or absent (no line segment on a log axis reaches it). */
    static boolean hasIsolatedPoint(XYSeries s) {
        int n = s.getItemCount();
        for (int k = 0; k < n; k++) {
            if (!(s.getY(k).doubleValue() > 0)) continue;
            boolean before = k > 0 && s.getY(k - 1).doubleValue() > 0, after = k < n - 1 && s.getY(k + 1).doubleValue() > 0;
            if (!before && !after) return true;
        }
        return false;
    }

    /** Latency CDF per policy (log x axis). */
    public static void latencyCdf(Path file, List<RunResult> results) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), latencyCdfChart(results), W, H);
    }

    static JFreeChart latencyCdfChart(List<RunResult> results) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<java.awt.Color> paints = new java.util.ArrayList<>();
        for (RunResult r : results) {
            XYSeries s = new XYSeries(r.policy());
            for (double[] p : r.latencyCdf()) if (p[0] > 0) s.add(p[0], p[1]);
            data.addSeries(s);
            paints.add(PolicyColors.of(r.policy()));
        }
        JFreeChart c = ChartFactory.createXYLineChart("Latency CDF", "latency (ms)", "fraction of requests",
                data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = c.getXYPlot();
        whiteGrid(plot);
        double min = Double.POSITIVE_INFINITY, max = 0;
        for (RunResult r : results)
            for (double[] p : r.latencyCdf())
                if (p[0] > 0) {
                    min = Math.min(min, p[0]);
                    max = Math.max(max, p[0]);
                }
        if (max > 0 && max < 10 * min) {
            // less than a decade (every request at one latency: one request, a fixed service time): a log axis spanned
            // a sliver and labelled every tick alike ("60 60 60 ..." or "54 54 55 55 ..."); a linear one of at least
            // a fifth of the largest latency reads plainly
            org.jfree.chart.axis.NumberAxis x = (org.jfree.chart.axis.NumberAxis) plot.getDomainAxis();
            x.setAutoRangeIncludesZero(false);
            x.setAutoRangeMinimumSize(0.2 * max);
        } else {
            plot.setDomainAxis(logAxis("latency (ms, log scale)"));
        }
        colour(plot, data, paints);
        return c;
    }

    /** Cost (GPU-hours) against SLO attainment, one point per policy, told apart by the legend. */
    public static void costVsSlo(Path file, List<RunResult> results) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), costVsSloChart(results), W, H);
    }

    static JFreeChart costVsSloChart(List<RunResult> results) {
        JFreeChart c = scatterByPolicy("GPU-hours vs SLO attainment", "SLO attainment (%)", "GPU-hours", results,
                r -> 100 * r.totals().sloAttainment(), r -> r.totals().gpuHours());
        XYPlot plot = c.getXYPlot();
        double lo = results.stream().mapToDouble(r -> r.totals().gpuHours()).filter(v -> v > 0).min().orElse(1);
        double hi = results.stream().mapToDouble(r -> r.totals().gpuHours()).max().orElse(1);
        if (hi > 10 * lo) plot.setRangeAxis(logAxis("GPU-hours (log scale)"));
        return c;
    }

    /**
     * Requests that met a cold start against idle GPU memory, one point per policy: the keep-alive trade-off
     * (fewer cold starts for more memory held idle), read towards the lower left.
     */
    public static void coldStarts(Path file, List<RunResult> results) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), coldStartsChart(results), W, H);
    }

    static JFreeChart coldStartsChart(List<RunResult> results) {
        // counts from 0 to tens of thousands: a log axis of count + 1 keeps the small ones apart and the zeros on it
        boolean log = results.stream().mapToLong(r -> r.totals().coldStartRequests()).max().orElse(0) > 100;
        JFreeChart c = scatterByPolicy("Cold starts vs idle GPU memory", "idle GPU memory (GB-hours)", "requests that met a cold start",
                results, r -> r.totals().idleGpuMemoryGbHours(), r -> y(r, log));
        if (log) {
            LogAxis a = new LogAxis("requests that met a cold start, + 1 (log scale)");
            a.setSmallestValue(0.5);
            a.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1)); // a tick per power of ten
            a.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
            c.getXYPlot().setRangeAxis(a);
        }
        return c;
    }

    /**
     * A scatter plot with one series per policy, so the legend names each point: text labels beside the points
     * overlapped wherever policies land close together. Linear axes never shrink below a visible span, so one
     * point alone (or several at one value) does not draw a range of 1e-14 with every tick labelled alike.
     */
    static JFreeChart scatterByPolicy(String title, String x, String y, List<RunResult> results,
                                      java.util.function.ToDoubleFunction<RunResult> fx, java.util.function.ToDoubleFunction<RunResult> fy) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (RunResult r : results) {
            String key = r.policy();
            for (int n = 2; data.getSeriesIndex(key) >= 0; n++) key = r.policy() + " #" + n; // the same policy twice (other params)
            XYSeries s = new XYSeries(key);
            s.add(fx.applyAsDouble(r), fy.applyAsDouble(r));
            data.addSeries(s);
        }
        JFreeChart c = ChartFactory.createScatterPlot(title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = c.getXYPlot();
        whiteGrid(plot);
        for (int i = 0; i < results.size(); i++) plot.getRenderer().setSeriesPaint(i, PolicyColors.of(results.get(i).policy()));
        for (org.jfree.chart.axis.ValueAxis axis : new org.jfree.chart.axis.ValueAxis[]{plot.getDomainAxis(), plot.getRangeAxis()}) {
            org.jfree.chart.axis.NumberAxis a = (org.jfree.chart.axis.NumberAxis) axis;
            a.setAutoRangeIncludesZero(false);
            double max = 0;
            for (RunResult r : results) max = Math.max(max, Math.abs(axis == plot.getDomainAxis() ? fx.applyAsDouble(r) : fy.applyAsDouble(r)));
            a.setAutoRangeMinimumSize(Math.max(1e-6, 0.01 * max)); // 1 % of the values: 99.2 % and 99.9 % stay apart
            a.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.##", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
            a.setLowerMargin(0.08);
            a.setUpperMargin(0.08);
            // the margin holds below zero too: a point at 0 (a policy that met no SLO, no idle memory) sat on the
            // axis line, half its marker cut off, as the axis stuck to zero
            a.setAutoRangeStickyZero(false);
        }
        return c;
    }

    private static double y(RunResult r, boolean log) {
        return r.totals().coldStartRequests() + (log ? 1 : 0);
    }

    /**
     * A log axis labelled with plain numbers rather than powers of ten, to two significant digits: its ticks
     * fall at powers of 10^0.1, which printed in full read 6,309.57 or 1,258.93; 6,300 and 1,300 say the same.
     */
    public static LogAxis logAxis(String label) {
        LogAxis a = new LogAxis(label);
        a.setSmallestValue(0.01);
        a.setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createStandardTickUnits());
        a.setNumberFormatOverride(new TwoSignificantDigits());
        return a;
    }

    /** Formats a number rounded to two significant digits, grouped ("6,300", "0.25"). */
    static final class TwoSignificantDigits extends java.text.NumberFormat {
        private final java.text.DecimalFormat plain = new java.text.DecimalFormat("#,##0.##########",
                java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));

        @Override
        public StringBuffer format(double v, StringBuffer to, java.text.FieldPosition pos) {
            if (v == 0 || !Double.isFinite(v)) return to.append(v == 0 ? "0" : String.valueOf(v));
            return plain.format(new java.math.BigDecimal(v).round(new java.math.MathContext(2)), to, pos);
        }

        @Override
        public StringBuffer format(long v, StringBuffer to, java.text.FieldPosition pos) {
            return format((double) v, to, pos);
        }

        @Override
        public Number parse(String source, java.text.ParsePosition pos) {
            return plain.parse(source, pos);
        }
    }

    private static TreeMap<Double, Double> sumBy(RunResult r, java.util.function.ToDoubleFunction<RunResult.SeriesRow> f) {
        TreeMap<Double, Double> m = new TreeMap<>();
        for (RunResult.SeriesRow row : r.series()) m.merge(row.start(), f.applyAsDouble(row), Double::sum);
        return m;
    }
}
