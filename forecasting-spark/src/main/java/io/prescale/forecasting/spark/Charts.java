package io.prescale.forecasting.spark;

import io.prescale.forecasting.backtest.BacktestResult;
import io.prescale.forecasting.backtest.ForecastRow;
import io.prescale.forecasting.backtest.Score;
import io.prescale.forecasting.backtest.SeriesResult;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.Millisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;

/** PNG charts of backtests and forecasts (JFreeChart, headless). */
public final class Charts {
    private Charts() {}

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Actual vs forecast (P50 line, band up to P90) at one lead step. */
    public static void forecastBand(Path file, String title, List<ForecastRow> rows, int step) {
        YIntervalSeries band = new YIntervalSeries("forecast P50 (band to P90)");
        TimeSeries actual = new TimeSeries("actual");
        for (ForecastRow r : rows) {
            if (r.step() != step) continue;
            band.add(r.target().toEpochMilli(), r.p50(), r.p50(), r.p90());
            actual.addOrUpdate(new Millisecond(Date.from(r.target())), r.actual());
        }
        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        bands.addSeries(band);
        JFreeChart chart = ChartFactory.createTimeSeriesChart(title, "time (UTC)", "requests per interval", new TimeSeriesCollection(actual), true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setDataset(1, bands);
        DeviationRenderer dev = new DeviationRenderer(true, false);
        dev.setSeriesPaint(0, new Color(30, 100, 200));
        dev.setSeriesFillPaint(0, new Color(30, 100, 200));
        dev.setAlpha(0.25f);
        plot.setRenderer(1, dev);
        plot.getRenderer(0).setSeriesPaint(0, Color.BLACK);
        plot.getRenderer(0).setSeriesStroke(0, new BasicStroke(1.2f));
        plot.setBackgroundPaint(Color.WHITE);
        save(file, chart, 1100, 420);
    }

    /** The horizon as every flag and table writes it, "30m" (the title said "PT30M"). */
    public static String maseTitle(java.time.Duration horizon) {
        return "MASE vs seasonal naive (1 day), horizon " + io.prescale.core.config.Durations.format(horizon) + " (capped at 3)";
    }

    /** MASE of every forecaster on every series (grouped bars). */
    public static void maseBars(Path file, BacktestResult r) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (SeriesResult s : r.series())
            for (Score sc : s.forecasters()) if (Double.isFinite(sc.mase())) d.addValue(Math.min(sc.mase(), 3), sc.forecaster(), s.series());
        JFreeChart chart = ChartFactory.createBarChart(maseTitle(r.horizon()),
                "series", "MASE", d, PlotOrientation.VERTICAL, true, false, false);
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        save(file, chart, Math.max(700, 160 * r.series().size()), 420);
    }

    private static void save(Path file, JFreeChart chart, int w, int h) {
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, w, h);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + file, e);
        }
    }
}
