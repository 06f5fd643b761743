package io.prescale.simulator.sweep;

import io.prescale.simulator.report.PolicyColors;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** bests.png: each policy's cheapest configuration at the SLO target, grouped by context (one bar per policy). */
public final class BestsChart {
    public static final String FILE = "bests.png";

    private BestsChart() {}

    public static void write(Path file, ExperimentSpec spec, List<ContextBests> bests) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart(spec, bests), 1100, 600);
    }

    static JFreeChart chart(ExperimentSpec spec, List<ContextBests> bests) {
        java.util.Map<String, String> policyOf = new java.util.HashMap<>();
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (ContextBests c : bests) {
            String column = c.label().isEmpty() ? spec.name() : c.label().replaceAll("^\\[|]$", "").replace(", ", "\n");
            for (ContextBests.Best b : c.bests()) {
                String series = b.policy() + (b.needsFuture() ? " (needs the future)" : b.liveProblem() != null ? " (cannot run live)" : "");
                data.addValue(b.value(), series, column);
                policyOf.put(series, b.policy());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Each policy at its best per context: " + spec.name(), null,
                spec.objective().minimize().label + " at SLO attainment >= " + ExperimentSpec.percent(spec.objective().sloTarget()) + " %"
                        + spec.objective().margin(),
                data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        bars.setItemMargin(0.02);
        bars.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        for (int s = 0; s < data.getRowCount(); s++) bars.setSeriesPaint(s, PolicyColors.of(policyOf.get((String) data.getRowKey(s))));
        if (bests.size() > 4) plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        plot.getDomainAxis().setMaximumCategoryLabelLines(3);
        return chart;
    }
}
