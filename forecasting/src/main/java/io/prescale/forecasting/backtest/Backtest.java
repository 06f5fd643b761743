package io.prescale.forecasting.backtest;

import io.prescale.core.forecast.Forecast;
import io.prescale.forecasting.ForecasterCatalog;
import io.prescale.forecasting.SeriesForecaster;
import io.prescale.forecasting.TimeGrid;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Rolling-origin backtest. Each forecaster sees every series from the start, one interval at a time,
 * exactly as the control loop feeds it; at every origin inside the scoring window (the last
 * {@code scoreWindow} of the series) it forecasts {@code horizon} ahead having observed only the
 * intervals before the origin. Conformal quantiles are therefore calibrated on errors made before each
 * origin only. Masked actuals are not scored.
 *
 * <p>The winner of a series is the forecaster with the lowest MASE among those whose P90 coverage is
 * calibrated (within {@code coverageTolerance} of 0.9); if none is, the lowest MASE plus a penalty of
 * 10 x the coverage miss beyond the tolerance.
 */
public final class Backtest {

    public record Config(Duration horizon, Duration scoreWindow, Duration season, double coverageTolerance, int threads) {
        public static Config defaults(Duration horizon) {
            return new Config(horizon, Duration.ofDays(3), Duration.ofDays(1), 0.05, Runtime.getRuntime().availableProcessors());
        }
    }

    /** Progress callback: tasks done, tasks in all, the task just finished. */
    public interface Progress {
        void update(int done, int total, String task);

        Progress NONE = (d, t, s) -> { };
    }

    private Backtest() {}

    public static BacktestResult run(List<SeriesData> series, List<ForecasterSpec> forecasters, Config cfg, Progress progress) {
        if (series.isEmpty()) throw new IllegalArgumentException("no series to backtest");
        if (forecasters.isEmpty()) throw new IllegalArgumentException("no forecasters to backtest");
        Duration interval = series.get(0).interval();
        for (SeriesData s : series)
            if (!s.interval().equals(interval)) throw new IllegalArgumentException("series " + s.name() + " has interval " + s.interval() + ", others " + interval);
        // fail fast on a bad id or param, before any work
        for (ForecasterSpec f : forecasters) ForecasterCatalog.create(f.id(), interval, f.params());
        TimeGrid grid = new TimeGrid(interval);
        int h = grid.steps(cfg.horizon());
        int scoreSteps = grid.steps(cfg.scoreWindow());
        int m = grid.steps(cfg.season());

        List<SeriesData> scored = new ArrayList<>();
        List<SkippedSeries> skipped = new ArrayList<>();
        for (SeriesData s : series) {
            String why = skipReason(s, scoreSteps, m, h, cfg);
            if (why == null) scored.add(s);
            else skipped.add(new SkippedSeries(s.name(), s.observations(), why));
        }

        record Task(int series, int forecaster) {}
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) for (int j = 0; j < forecasters.size(); j++) tasks.add(new Task(i, j));
        record Done(Metrics metrics, List<ForecastRow> rows) {}
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(cfg.threads(), tasks.size())), r -> {
            Thread t = new Thread(r, "backtest");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        List<Future<Done>> futures = new ArrayList<>();
        try {
            for (Task t : tasks) {
                futures.add(pool.submit(() -> {
                    SeriesData s = scored.get(t.series());
                    ForecasterSpec f = forecasters.get(t.forecaster());
                    List<ForecastRow> rows = new ArrayList<>();
                    Metrics metrics = runOne(s, f, grid, h, scoreSteps, rows::add);
                    progress.update(done.incrementAndGet(), tasks.size(), s.name() + " / " + f.id());
                    return new Done(metrics, rows);
                }));
            }
            List<SeriesResult> results = new ArrayList<>();
            List<ForecastRow> allRows = new ArrayList<>();
            int k = 0;
            for (int i = 0; i < scored.size(); i++) {
                SeriesData s = scored.get(i);
                double scale = Metrics.seasonalNaiveScale(s.values(), s.length() - scoreSteps, m);
                List<Score> scores = new ArrayList<>();
                for (ForecasterSpec f : forecasters) {
                    Done d = futures.get(k++).get();
                    scores.add(d.metrics().score(f.id(), scale));
                    allRows.addAll(d.rows());
                }
                results.add(new SeriesResult(s.name(), s.observations(), winner(scores, cfg.coverageTolerance()), scores));
            }
            return new BacktestResult(interval, cfg.horizon(), cfg.scoreWindow(), results, skipped, allRows);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("backtest interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    static String skipReason(SeriesData s, int scoreSteps, int m, int h, Config cfg) {
        if (s.total() <= 0) return "no traffic";
        int history = s.length() - scoreSteps;
        if (history < 2 * m)
            return "only " + days(s.length(), m) + " of data: scoring the last " + days(scoreSteps, m)
                    + " against a 1-season naive forecast needs at least " + days(scoreSteps + 2 * m, m);
        if (scoreSteps < h) return "scoring window shorter than the horizon";
        double scored = 0;
        for (int i = history; i < s.length(); i++) if (!Double.isNaN(s.values()[i])) scored += s.values()[i];
        if (scored <= 0) return "no traffic in the scoring window";
        double scale = Metrics.seasonalNaiveScale(s.values(), history, m);
        if (!(scale > 0)) return "seasonal naive makes no in-sample error (constant or masked series): MASE undefined";
        return null;
    }

    private static String days(int steps, int perDay) {
        double d = steps / (double) perDay;
        return (d == Math.rint(d) ? String.valueOf((long) d) : String.format("%.1f", d)) + (d == 1 ? " day" : " days");
    }

    /** Feeds the whole series and scores every origin of the scoring window. */
    static Metrics runOne(SeriesData s, ForecasterSpec spec, TimeGrid grid, int h, int scoreSteps, Consumer<ForecastRow> sink) {
        java.util.Map<String, Object> params = new java.util.LinkedHashMap<>(spec.params());
        params.putIfAbsent("calibrationSteps", Math.max(h, SeriesForecaster.Calibration.DEFAULTS.steps()));  // every lead scored gets its own residuals
        SeriesForecaster f = ForecasterCatalog.create(spec.id(), s.interval(), params);
        Metrics metrics = new Metrics();
        double[] v = s.values();
        int firstOrigin = v.length - scoreSteps;
        int lastOrigin = v.length - h;
        Duration horizon = s.interval().multipliedBy(h);
        for (int t = 0; t < v.length; t++) {
            if (t >= firstOrigin && t <= lastOrigin) {
                Forecast fc = f.forecast(s.name(), s.time(t), horizon);
                for (int k = 0; k < fc.steps() && t + k < v.length; k++) {
                    double actual = v[t + k];
                    if (Double.isNaN(actual)) continue;
                    metrics.add(actual, fc.mean()[k], fc.p50()[k], fc.p90()[k]);
                    sink.accept(new ForecastRow(s.name(), spec.id(), s.time(t), s.time(t + k), k + 1, actual,
                            fc.mean()[k], fc.p50()[k], fc.p90()[k], fc.p95()[k]));
                }
            }
            f.observe(s.name(), s.time(t), v[t]);
        }
        return metrics;
    }

    static String winner(List<Score> scores, double tol) {
        return scores.stream().filter(s -> !Double.isNaN(s.mase()))
                .min(Comparator.comparingDouble(s -> s.mase() + 10 * Math.max(0, Math.abs(s.coverage90() - 0.9) - tol)))
                .map(Score::forecaster).orElse(scores.get(0).forecaster());
    }
}
