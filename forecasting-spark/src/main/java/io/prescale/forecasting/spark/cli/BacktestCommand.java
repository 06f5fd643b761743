package io.prescale.forecasting.spark.cli;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.DidYouMean;
import io.prescale.core.config.Durations;
import io.prescale.core.text.Plural;
import io.prescale.datasets.TraceSource;
import io.prescale.forecasting.ForecasterCatalog;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.artifact.Artifacts;
import io.prescale.forecasting.backtest.Backtest;
import io.prescale.forecasting.backtest.BacktestResult;
import io.prescale.forecasting.backtest.ForecastRow;
import io.prescale.forecasting.backtest.ForecasterSpec;
import io.prescale.forecasting.backtest.SeriesData;
import io.prescale.forecasting.backtest.SeriesResult;
import io.prescale.forecasting.events.EventCalendar;
import io.prescale.forecasting.spark.BacktestReport;
import io.prescale.forecasting.spark.Charts;
import io.prescale.forecasting.spark.GbtTrainer;
import io.prescale.forecasting.spark.SparkSessions;
import io.prescale.forecasting.spark.TraceSeries;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code prescale forecast backtest}: rolling-origin backtest of every forecaster on every series of a trace. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        // one string per paragraph: picocli wraps each to the terminal, and breaks after each
        description = {"Rolling-origin backtest of every forecaster on every series.",
                "Each forecaster forecasts each series at every interval of the last --score-window, seeing only the data "
                        + "before each origin; prints MASE (vs seasonal naive, 1 day), WAPE, pinball loss P50/P90 and P90 coverage, "
                        + "marks the winner, and writes backtest.json, forecasts.csv, PNG charts and index.html. "
                        + "gbt is trained with Spark on the data before the window."})
public final class BacktestCommand implements Callable<Integer> {
    @Mixin
    TraceOptions traceOptions;

    @Option(names = "--horizon", defaultValue = "30m", paramLabel = "DURATION", description = "forecast horizon (default: ${DEFAULT-VALUE})")
    String horizon;

    @Option(names = "--score-window", defaultValue = "3d", paramLabel = "DURATION", description = "scored span at the end of each series (default: ${DEFAULT-VALUE})")
    String scoreWindow;

    @Option(names = "--forecasters", split = "\\s*,\\s*", splitSynopsisLabel = ",", paramLabel = "ID", description = "forecasters to compare (default: all of ${COMPLETION-CANDIDATES})",
            completionCandidates = Ids.class)
    List<String> forecasters;

    @Option(names = "--series", split = "\\s*,\\s*", splitSynopsisLabel = ",", paramLabel = "NAME", description = "only these series (default: all)")
    List<String> seriesFilter;

    @Option(names = "--top", paramLabel = "N", description = "only the N series with the most traffic before their scoring window "
            + "(the data the forecasters learn from; the scored span plays no part in the choice), for sparse per-model traces")
    Integer top;

    @Option(names = "--total", description = "also score the sum of all series as one series named 'total' (intermittent per-model traces)")
    boolean total;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: runs/backtest/<utc>-<gitsha>/)")
    Path out;

    @Option(names = "--gbt-artifact", paramLabel = "FILE", description = "use this trained gbt artifact instead of training one on the pre-window data "
            + "(without --interval, the series are read at the artifact's interval when the trace's adds up to it)")
    Path gbtArtifact;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master for the gbt training: local[*] (default), local[N] or spark://HOST:PORT")
    String master;

    @Option(names = "--threads", paramLabel = "N", description = "backtest threads (default: all cores)")
    Integer threads;

    static final class Ids extends ArrayList<String> {
        Ids() { super(ForecasterCatalog.ids()); }
    }

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        long t0 = System.nanoTime();
        io.prescale.forecasting.spark.SparkSessions.checkMaster(master, "--master");
        if (top != null && top < 1) throw new ConfigException("--top", "must be >= 1");
        if (threads != null && threads < 1) throw new ConfigException("--threads", "must be >= 1");
        // every option is checked before the run folder is made: a typo must not leave an empty folder behind
        if (forecasters != null)
            for (String id : forecasters)
                if (!ForecasterCatalog.ids().contains(id))
                    throw new ConfigException("--forecasters", "unknown forecaster '" + id + "'" + DidYouMean.suffix(id, ForecasterCatalog.ids())
                            + " (known: " + String.join(", ", ForecasterCatalog.ids()) + ")");
        if (gbtArtifact != null && !Files.isRegularFile(gbtArtifact)) throw new ConfigException("--gbt-artifact", "no such file: " + gbtArtifact);
        Duration h = Durations.parseOption("--horizon", horizon);
        Duration window = Durations.parseOption("--score-window", scoreWindow);
        if (h.isNegative() || h.isZero()) throw new ConfigException("--horizon", "must be > 0");
        if (window.isNegative() || window.isZero()) throw new ConfigException("--score-window", "must be > 0");
        TraceSource src = traceOptions.source();
        // a given artifact's own interval without --interval: one trained by forecast train (10m) on a 5-minute trace fits
        TraceSeries.Loaded loaded = traceOptions.load(src, gbtArtifact == null ? null : TraceOptions.artifactInterval("--gbt-artifact", "gbt", gbtArtifact));
        List<SeriesData> series = loaded.series();
        if (seriesFilter != null) {
            requireSeries(seriesFilter, series, src.id(), "--series");
            series = series.stream().filter(s -> seriesFilter.contains(s.name())).toList();
        }
        if (top != null) series = top(series, top, window);
        if (total) {
            // a model named "total" and the sum were two series of one name: one chart file overwrote the other
            if (loaded.series().stream().anyMatch(s -> s.name().equals("total")))
                throw new ConfigException("--total", src.id() + " has a series named 'total' already: the sum of all series would share its name");
            List<SeriesData> with = new ArrayList<>(series);
            with.add(TraceSeries.sum("total", loaded.series()));
            series = with;
        }
        Duration interval = series.get(0).interval();
        TraceOptions.requireMultiple(h, interval, "--horizon");
        // as the horizon: 1d5m on a 10-minute series scored the last 1d10m and was labelled 1d5m in backtest.json
        TraceOptions.requireMultiple(window, interval, "--score-window", scoreWindow);
        Backtest.Config cfg = Backtest.Config.defaults(h);
        cfg = new Backtest.Config(h, window, cfg.season(), cfg.coverageTolerance(), threads == null ? cfg.threads() : threads);
        EventCalendar cal = traceOptions.calendar(); // a bad --events file is refused before the run folder is made
        Path dir = out != null ? out : RunFolders.next("backtest");
        Files.createDirectories(dir);
        err.printf("backtest %s: %d series at %s, horizon %s, scoring the last %s -> %s%n", src.id(), series.size(),
                Durations.format(interval), Durations.format(h), Durations.format(window), dir);

        List<String> ids = forecasters != null ? forecasters : ForecasterCatalog.ids();
        Map<String, Object> run = new LinkedHashMap<>();
        String gbt = null;
        if (ids.contains("gbt") || ids.contains("ensemble")) {
            if (gbtArtifact != null) InSampleScores.warning(gbtArtifact, series, window).ifPresent(err::println);
            gbt = gbtArtifact != null ? gbtArtifact.toString() : trainGbt(series, interval, cfg, cal, dir, run, err);
            if (gbt == null && ids.contains("gbt")) {
                err.println("gbt left out: no series has enough history before the scoring window to train it");
                ids = ids.stream().filter(i -> !i.equals("gbt")).toList();
            }
        }
        List<ForecasterSpec> specs = new ArrayList<>();
        for (String id : ids) specs.add(new ForecasterSpec(id, params(id, gbt)));
        long t1 = System.nanoTime();
        int[] lastPct = {-1};
        BacktestResult r = Backtest.run(series, specs, cfg, (done, total, task) -> {
            int pct = done * 100 / total;
            if (pct / 10 != lastPct[0] / 10 || done == total) {
                lastPct[0] = pct;
                err.printf("  [%3d%%] %d/%d %s%n", pct, done, total, task);
            }
        });
        run.put("backtestSeconds", Math.round((System.nanoTime() - t1) / 1e7) / 100.0);
        run.put("forecasters", ids);
        run.put("params", specs.stream().filter(s -> !s.params().isEmpty()).collect(java.util.stream.Collectors.toMap(ForecasterSpec::id, ForecasterSpec::params)));
        System.out.print(BacktestReport.table(r));

        BacktestReport.writeJson(dir.resolve("backtest.json"), src, r, run);
        BacktestReport.writeCsv(dir.resolve("forecasts.csv"), r.rows());
        List<String> charts = writeCharts(dir, r, new TimeGrid(interval).steps(h));
        HtmlPage.write(dir.resolve("index.html"), src, r, charts);
        err.printf("wrote %s (backtest.json, forecasts.csv, %s, index.html) in %.1f s%n", dir, Plural.count(charts.size(), "chart", "charts"), (System.nanoTime() - t0) / 1e9);
        if (r.series().isEmpty()) {
            // every series was skipped (too short for the horizon, the window or a season): nothing was measured
            err.println("backtest: no series could be scored (see the skipped series above); try a shorter --horizon or --score-window");
            return 1;
        }
        return 0;
    }

    private Map<String, Object> params(String id, String gbt) {
        Map<String, Object> p = new LinkedHashMap<>();
        boolean eventAware = id.equals("gbt") || id.equals("prophet-style");
        if (eventAware && traceOptions.events != null) p.put("events", traceOptions.events);
        if (eventAware && !"none".equals(traceOptions.holidays)) p.put("holidays", traceOptions.holidays);
        if (id.equals("gbt")) p.put("artifact", gbt);
        if (id.equals("ensemble") && gbt != null) p.put("gbtArtifact", gbt);
        return p;
    }

    /**
     * The {@code n} series with the most traffic before their scoring window (the last {@code window}), that is in the
     * intervals before the first scored origin, which the forecasters learn from: ranked on the whole series, the choice
     * saw the very span it is scored on (a series busy only there was picked for it). Ties keep the trace's order.
     */
    static List<SeriesData> top(List<SeriesData> series, int n, Duration window) {
        if (series.isEmpty()) return series;
        long steps = window.toNanos() / series.get(0).interval().toNanos();
        java.util.function.ToDoubleFunction<SeriesData> training = s -> {
            double sum = 0;
            for (int i = 0; i < s.length() - steps; i++) if (!Double.isNaN(s.values()[i])) sum += s.values()[i];
            return sum;
        };
        return series.stream().sorted(java.util.Comparator.comparingDouble(training).reversed()).limit(n).toList();
    }

    /**
     * Trains gbt in Spark on every series' data before the earliest scoring window; returns the artifact path. One
     * model serves all series, so a cut per series would let one series' data from inside another's scoring window
     * (series that end at different times) train the model that forecasts it.
     */
    private String trainGbt(List<SeriesData> series, Duration interval, Backtest.Config cfg, EventCalendar cal, Path dir,
                            Map<String, Object> run, PrintStream err) {
        TimeGrid grid = new TimeGrid(interval);
        Map<String, Integer> until = trainingCut(series, grid.steps(cfg.scoreWindow()), 2 * grid.perDay());
        List<SeriesData> train = series.stream().filter(s -> until.containsKey(s.name())).toList();
        if (train.isEmpty()) return null;
        int maxSteps = Math.max(grid.steps(cfg.horizon()), 6);
        long t = System.nanoTime();
        SparkSession spark = SparkSessions.start(master, "prescale-backtest-gbt");
        err.printf("training gbt on Spark %s: %d series, data before the earliest scoring window only%n", spark.sparkContext().master(), train.size());
        try {
            var result = GbtTrainer.train(spark, train, until, cal, GbtTrainer.Settings.defaults(maxSteps),
                    Map.of("trace", traceOptions.trace, "purpose", "backtest (trained before the scoring window)"));
            Path file = dir.resolve("models").resolve("gbt-" + result.artifact().version() + ".json");
            Artifacts.write(file, result.artifact());
            double secs = (System.nanoTime() - t) / 1e9;
            err.printf("  gbt: %d trees, %s rows, %.1f s -> %s%n", result.artifact().trees().size(), result.artifact().training().get("rows"), secs, file);
            run.put("gbtTrainingSeconds", Math.round(secs * 100) / 100.0);
            run.put("gbtArtifact", dir.relativize(file).toString());
            return file.toString();
        } finally {
            spark.stop();
        }
    }

    /**
     * The series a model shared by all of them trains on, each with how many of its intervals it may learn from: those
     * before the earliest start of any such series' scoring window (its last {@code scoreSteps} intervals), in time.
     * A series with under {@code minHistory} intervals before its own window is too short to train on or score, and
     * sets no cut; one left with under {@code minHistory} before the cut is not trained on.
     */
    static Map<String, Integer> trainingCut(List<SeriesData> all, int scoreSteps, int minHistory) {
        List<SeriesData> series = all.stream().filter(s -> s.length() - scoreSteps >= minHistory).toList();
        java.time.Instant cut = null;
        for (SeriesData s : series) {
            java.time.Instant windowStart = s.start().plus(s.interval().multipliedBy(Math.max(0, s.length() - scoreSteps)));
            if (cut == null || windowStart.isBefore(cut)) cut = windowStart;
        }
        Map<String, Integer> until = new LinkedHashMap<>();
        for (SeriesData s : series) {
            int u = Math.min(TrainingCut.length(s, cut), s.length() - scoreSteps);
            if (u >= minHistory) until.put(s.name(), u);
        }
        return until;
    }


    /**
     * Refuses a name that is not one of the trace's series (was silently left out, or "matches none" without the
     * names), with the closest one and the list, as {@code forecast show --model} lists them.
     */
    static void requireSeries(List<String> wanted, List<SeriesData> series, String trace, String flag) {
        List<String> names = series.stream().map(SeriesData::name).toList();
        for (String w : wanted)
            if (!names.contains(w))
                throw new ConfigException(flag, "no series '" + w + "' in " + trace + DidYouMean.suffix(w, names)
                        + " (series: " + String.join(", ", names) + ")");
    }

    /** "m-large: actual vs gbt at lead 30m (P50, band to P90)", the lead as forecast show writes it (was "at lead 3", in steps). */
    static String bandTitle(String series, String forecaster, Duration interval, int steps) {
        return series + ": actual vs " + forecaster + " at lead " + Durations.format(interval.multipliedBy(steps)) + " (P50, band to P90)";
    }

    private static List<String> writeCharts(Path dir, BacktestResult r, int steps) {
        List<String> names = new ArrayList<>();
        Charts.maseBars(dir.resolve("mase.png"), r);
        names.add("mase.png");
        for (SeriesResult s : r.series()) {
            List<ForecastRow> rows = r.rows().stream().filter(x -> x.series().equals(s.series()) && x.forecaster().equals(s.winner())).toList();
            String name = ChartFiles.forecast(s.series());
            Charts.forecastBand(dir.resolve(name), bandTitle(s.series(), s.winner(), r.interval(), steps), rows, steps);
            names.add(name);
        }
        return names;
    }

    static String join(String[] a) {
        return String.join(",", Arrays.asList(a));
    }
}
