package io.prescale.simulator.sweep;

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
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (ContextBests c : bests) {
            String column = c.label().isEmpty() ? spec.name() : c.label().replaceAll("^\\[|]$", "").replace(", ", "\n");
            for (ContextBests.Best b : c.bests()) data.addValue(b.value(), b.needsFuture() ? b.policy() + " (needs the future)" : b.policy(), column);
        }
        JFreeChart chart = ChartFactory.createBarChart("Each policy at its best per context: " + spec.name(), null,
                spec.objective().minimize().label + " at SLO attainment >= " + ExperimentSpec.trim(100 * spec.objective().sloTarget()) + " %",
                data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((BarRenderer) plot.getRenderer()).setItemMargin(0.02);
        if (bests.size() > 4) plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        plot.getDomainAxis().setMaximumCategoryLabelLines(3);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1100, 600);
    }
}
