package io.prescale.forecasting.spark.cli;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.DidYouMean;
import io.prescale.core.config.Durations;
import io.prescale.datasets.TraceSource;
import io.prescale.forecasting.ForecasterChoice;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.artifact.Artifacts;
import io.prescale.forecasting.artifact.ProphetArtifact;
import io.prescale.forecasting.backtest.SeriesData;
import io.prescale.forecasting.events.EventCalendar;
import io.prescale.forecasting.spark.GbtTrainer;
import io.prescale.forecasting.spark.ProphetTrainer;
import io.prescale.forecasting.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code prescale forecast train}: Spark training of the gbt and prophet-style artifacts on every series of a trace. */
@Command(name = "train", mixinStandardHelpOptions = true,
        // one string per paragraph: picocli wraps each to the terminal, and breaks after each
        description = {"Train forecaster artifacts on Spark.",
                "One global gbt model (MLlib GBTRegressor) and per-series prophet-style coefficients (elastic-net LinearRegression). "
                        + "Artifacts are versioned JSON files that the runtime forecasters load without Spark (params: artifact: FILE). "
                        + "Without --interval they are trained on 10-minute counts, the interval simulate, sweep and serve forecast at "
                        + "(on the trace's own interval if it is coarser than 10 minutes or does not divide it)."})
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    TraceOptions traceOptions;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master: local[*] (default; under spark-submit, its master), local[N] or spark://HOST:PORT")
    String master;

    @Option(names = "--out", paramLabel = "DIR", description = "artifact folder (default: models/ in the project)")
    Path out;

    @Option(names = "--horizon", defaultValue = "2h", paramLabel = "DURATION", description = "longest lead the gbt model is trained for (default: ${DEFAULT-VALUE})")
    String horizon;

    @Option(names = "--models", split = "\\s*,\\s*", splitSynopsisLabel = ",", paramLabel = "MODEL", defaultValue = "gbt,prophet-style", description = "what to train (default: ${DEFAULT-VALUE})")
    List<String> models;

    @Option(names = "--to", paramLabel = "TIME", description = "train only on data before this: an offset from the trace start as simulate --from "
            + "counts it (7d, 36h; for a trace of counts, from the midnight before its first interval) or an ISO time (default: the whole trace). "
            + "A simulation that uses the artifacts must start at or after it")
    String to;

    @Option(names = "--trees", paramLabel = "N", defaultValue = "20", description = "gbt boosting iterations (default: ${DEFAULT-VALUE})")
    int trees;

    /**
     * {@code --out} as given, relative to the working folder like every other path option (it was taken relative to
     * the project, so {@code --out models} from another folder wrote into the project, and under spark-submit into
     * the working folder); without it, {@code models/} in the project.
     */
    static Path artifactDir(Path out, Path projectRoot) {
        return out != null ? out : projectRoot.resolve("models");
    }

    /** What train does before Spark starts: the series at the interval it trains at, how many intervals of each it may learn from. */
    record Plan(TraceSource src, List<SeriesData> series, Duration interval, Map<String, Integer> until) {}

    /**
     * Checks the options and loads the series, before Spark starts; says on {@code err} what the user should know: the
     * interval when it was chosen for them, and a {@code --to} past the trace's end (as {@code simulate} says it).
     */
    Plan plan(PrintStream err) {
        if (trees < 1) throw new ConfigException("--trees", "must be >= 1");
        for (String m : models)
            if (!m.equals("gbt") && !m.equals("prophet-style"))
                throw new ConfigException("--models", "unknown '" + m + "'" + DidYouMean.suffix(m, List.of("gbt", "prophet-style")) + " (known: gbt, prophet-style)");
        Duration lead = Durations.parseOption("--horizon", horizon);
        TraceSource src = traceOptions.source();
        // the interval the policies' forecasters run at, so that simulate --forecaster gbt:artifact=... takes the artifact
        io.prescale.forecasting.spark.TraceSeries.Loaded loaded = traceOptions.load(src, ForecasterChoice.INTERVAL);
        List<SeriesData> series = loaded.series();
        Duration interval = series.get(0).interval();
        if (traceOptions.interval == null && !interval.equals(ForecasterChoice.INTERVAL))
            err.println("note: " + src.id() + " has " + Durations.format(interval) + " intervals, so the artifacts are trained at "
                    + Durations.format(interval) + ": simulate, sweep and serve forecast at " + Durations.format(ForecasterChoice.INTERVAL)
                    + " and cannot use them (forecast backtest and show can)");
        TraceOptions.requireMultiple(lead, interval, "--horizon");
        Map<String, Integer> until = new LinkedHashMap<>();
        Instant cut = to == null ? null : TrainingCut.parse(to, TrainingCut.origin(series, loaded.traceInterval() != null), "--to");
        if (cut != null) {
            Instant first = series.stream().map(SeriesData::start).min(Instant::compareTo).orElseThrow();
            Instant end = series.stream().map(s -> s.start().plus(s.interval().multipliedBy(s.length()))).max(Instant::compareTo).orElseThrow();
            if (!cut.isAfter(first))
                throw new ConfigException("--to", to + " is at or before the start of the trace (" + first + "): there is nothing before it to train on");
            if (cut.isAfter(end)) err.println("--to " + to + " is past the end of the trace: training uses all of it, up to " + end);
        }
        for (SeriesData s : series) until.put(s.name(), TrainingCut.length(s, cut));
        // what each model needs of a series, said before Spark starts: gbt's first origin has a day of history behind it and
        // a target after it; prophet-style fits two days at least. Was, after the Spark session had started, "only 0
        // training rows: the series are too short for gbt" for --to 20h, and an empty prophet-style artifact written
        int perDay = new TimeGrid(interval).perDay();
        int longest = until.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        String flag = cut != null ? "--to" : "--trace";
        String before = cut != null ? "before --to " + to : "in " + src.id();
        if (models.contains("gbt") && longest < perDay + 2)
            throw new ConfigException(flag, "no series has more than a day of data " + before + " (the longest has "
                    + Durations.format(interval.multipliedBy(longest)) + "): gbt learns from a day of history before each forecast");
        if (models.contains("prophet-style") && longest < 2 * perDay)
            throw new ConfigException(flag, "no series has two days of data " + before + " (the longest has "
                    + Durations.format(interval.multipliedBy(longest)) + "): prophet-style fits at least two days");
        return new Plan(src, series, interval, until);
    }

    @Override
    public Integer call() throws Exception {
        SparkSessions.checkMaster(master, "--master");
        Plan plan = plan(System.err);
        TraceSource src = plan.src();
        List<SeriesData> series = plan.series();
        Map<String, Integer> until = plan.until();
        TimeGrid grid = new TimeGrid(plan.interval());
        java.time.Duration lead = Durations.parseOption("--horizon", horizon);
        EventCalendar cal = traceOptions.calendar();
        Path dir = artifactDir(out, TraceOptions.projectRoot());
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        SparkSession spark = SparkSessions.start(master, "prescale-forecast-train");
        String master = spark.sparkContext().master();
        System.err.printf("training on Spark %s: %s, %d series at %s%s%n", master, src.id(), series.size(), Durations.format(grid.interval()),
                traceOptions.interval == null && grid.interval().equals(ForecasterChoice.INTERVAL) ? " (the interval simulate, sweep and serve forecast at)" : "");
        try {
            double start = (System.nanoTime() - t0) / 1e9;
            System.out.printf("spark session %s started in %.1f s%n", master, start);
            if (models.contains("gbt")) {
                long t = System.nanoTime();
                GbtTrainer.Settings st = GbtTrainer.Settings.defaults(grid.steps(lead));
                st = new GbtTrainer.Settings(st.maxSteps(), trees, st.depth(), st.stepSize(), st.originStride(), st.seed());
                var r = GbtTrainer.train(spark, series, until, cal, st, Map.of("trace", src.id(), "master", master));
                Path f = dir.resolve("gbt-" + r.artifact().version() + ".json");
                Artifacts.write(f, r.artifact());
                System.out.printf("gbt: %d trees on %s rows in %.1f s -> %s (%d bytes)%n", r.artifact().trees().size(),
                        r.artifact().training().get("rows"), (System.nanoTime() - t) / 1e9, f, Files.size(f));
            }
            if (models.contains("prophet-style")) {
                long t = System.nanoTime();
                ProphetArtifact a = ProphetTrainer.train(spark, series, until, cal, ProphetTrainer.Settings.DEFAULTS);
                Path f = dir.resolve("prophet-" + a.version() + ".json");
                Artifacts.write(f, a);
                System.out.printf("prophet-style: %d series in %.1f s -> %s (%d bytes)%n", a.series().size(), (System.nanoTime() - t) / 1e9, f, Files.size(f));
            }
        } finally {
            spark.stop();
        }
        System.out.printf("total %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
