package io.prescale.simulator.sweep;

import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.report.Charts;
import io.prescale.simulator.report.PolicyColors;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * cold-starts.png: requests that met a cold start against idle GPU memory (GB-hours of model memory held by
 * replicas with nothing to do), the serverless trade-off; cold-start-loads.png: replica loads against the same
 * memory, the count that matters where every policy keeps some replica of each busy model loaded (no request
 * waits, yet each load still holds memory and a GPU while it runs). Each policy's configurations that no other of its
 * configurations beats on both (fewer cold starts for no more memory) are joined; the rest are grey dots. A policy
 * listed several times in the experiment gets a line per entry.
 * Read across at equal idle memory to see which policy leaves fewer requests waiting for a load.
 */
public final class ColdStartChart {
    public static final String FILE = "cold-starts.png";

    /** What the vertical axis counts. */
    public enum Measure {
        REQUESTS(FILE, "requests that met a cold start"),
        LOADS("cold-start-loads.png", "replica loads");

        public final String file;
        final String label;

        Measure(String file, String label) {
            this.file = file;
            this.label = label;
        }

        double of(ScenarioResult r) {
            return this == REQUESTS ? r.result().totals().coldStartRequests() : r.result().totals().coldStarts();
        }
    }

    private ColdStartChart() {}

    /** Counts whose largest is more than this many times the smallest above zero go on a log axis. */
    static final double LOG_SPAN = 100;

    /** Both charts, one file per {@link Measure}, into {@code dir}. */
    public static void write(Path dir, ExperimentSpec spec, List<ScenarioResult> results) throws IOException {
        for (Measure m : Measure.values()) ChartUtils.saveChartAsPNG(dir.resolve(m.file).toFile(), chart(spec, results, m), 1100, 650);
    }

    static JFreeChart chart(ExperimentSpec spec, List<ScenarioResult> results, Measure measure) {
        boolean severalContexts = SweepReport.byContext(results).size() > 1;
        // a policy listed more than once in the experiment is a family per entry (its own comment, its own grid)
        Map<String, Set<String>> entries = new HashMap<>();
        for (ScenarioResult r : results) entries.computeIfAbsent(r.scenario().policy(), k -> new HashSet<>()).add(r.scenario().path());
        Map<String, List<ScenarioResult>> families = new LinkedHashMap<>();
        Map<String, String> policyOf = new HashMap<>();
        for (ScenarioResult r : results) {
            String policy = r.scenario().policy();
            String context = r.scenario().label().substring(r.scenario().arm().length()).trim();
            String name = policy + (entries.get(policy).size() > 1 ? " (" + r.scenario().path() + ")" : "")
                    + (PolicyCatalog.needsOracle(policy) ? " (needs the future)" : "")
                    + (severalContexts && !context.isEmpty() ? " " + context : "");
            families.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
            policyOf.put(name, policy);
        }
        // counts from a handful to thousands (a scale-to-zero policy's loads beside a warm pool's): on a linear axis all but
        // the largest sat on the zero line. Past 100x a log axis, with none drawn on a line at half the fewest, marked 0
        double fewest = results.stream().mapToDouble(measure::of).filter(v -> v > 0).min().orElse(Double.NaN);
        double most = results.stream().mapToDouble(measure::of).filter(v -> v > 0).max().orElse(Double.NaN);
        boolean log = most > LOG_SPAN * fewest;
        double none = fewest / 2;
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries dominated = new XYSeries("beaten by another configuration of its policy", false, true);
        data.addSeries(dominated);
        for (var f : families.entrySet()) {
            List<ScenarioResult> rs = f.getValue();
            double[] memory = rs.stream().mapToDouble(r -> r.result().totals().idleGpuMemoryGbHours()).toArray();
            double[] cold = rs.stream().mapToDouble(measure::of).toArray();
            List<Integer> front = frontier(memory, cold);
            XYSeries s = new XYSeries(f.getKey(), false, true);
            for (int i : front) s.add(memory[i], log ? Math.max(cold[i], none) : cold[i]); // in order of memory, so the line runs left to right
            for (int i = 0; i < rs.size(); i++) if (!front.contains(i)) dominated.add(memory[i], log ? Math.max(cold[i], none) : cold[i]);
            data.addSeries(s);
        }
        JFreeChart chart = Charts.xy((measure == Measure.LOADS ? "Replica loads" : "Cold starts") + " vs idle GPU memory: " + spec.name(),
                "idle GPU memory (GB-hours)", measure.label, data);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer rr = new XYLineAndShapeRenderer();
        rr.setSeriesLinesVisible(0, false);
        rr.setSeriesPaint(0, Color.LIGHT_GRAY);
        rr.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        for (int s = 1; s < data.getSeriesCount(); s++) {
            rr.setSeriesPaint(s, PolicyColors.of(policyOf.get((String) data.getSeriesKey(s)))); // as in every other chart
            rr.setSeriesStroke(s, new BasicStroke(2f));
            rr.setSeriesShape(s, new Ellipse2D.Double(-4, -4, 8, 8));
        }
        plot.setRenderer(rr);
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeMinimumSize(1e-3);
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeStickyZero(false);
        if (log) {
            org.jfree.chart.axis.LogAxis y = Charts.logAxis(measure.label + " (log scale)");
            y.setSmallestValue(none / 2);
            plot.setRangeAxis(y);
            if (results.stream().anyMatch(r -> measure.of(r) == 0)) {
                org.jfree.chart.plot.ValueMarker zero = new org.jfree.chart.plot.ValueMarker(none, Color.GRAY, new BasicStroke(1f,
                        BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[]{3f, 3f}, 0f));
                zero.setLabel("0");
                zero.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.LEFT);
                zero.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.CENTER_LEFT);
                plot.addRangeMarker(zero);
            }
            return chart;
        }
        // counts are whole; none above 0 (no request met a cold start): an axis from 0 to 1, not 5E-9 .. -5E-9
        NumberAxis count = (NumberAxis) plot.getRangeAxis();
        count.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (results.stream().allMatch(r -> measure.of(r) == 0)) count.setRange(-0.05, 1);
        // the margins hold below zero: the configurations with no cold start (the best, on azure-llm most predictive
        // ones) and none holding idle memory sat on the axis lines, half their markers cut off, their lines hidden
        count.setAutoRangeStickyZero(false);
        return chart;
    }

    /**
     * Indices of the points no other point beats on both axes (lower {@code x} and lower {@code y}, one of them
     * strictly), in order of increasing {@code x}; of equal points the first is kept.
     */
    static List<Integer> frontier(double[] x, double[] y) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < x.length; i++) if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) order.add(i);
        order.sort(Comparator.<Integer>comparingDouble(i -> x[i]).thenComparingDouble(i -> y[i]));
        List<Integer> out = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int i : order) {
            if (y[i] < best) {
                out.add(i);
                best = y[i];
            }
        }
        return out;
    }
}
