package io.prescale.forecasting.spark.cli;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.datasets.TraceSource;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code prescale forecast train}: Spark training of the gbt and prophet-style artifacts on every series of a trace. */
@Command(name = "train", mixinStandardHelpOptions = true,
        // one string per paragraph: picocli wraps each to the terminal, and breaks after each
        description = {"Train forecaster artifacts on Spark.",
                "One global gbt model (MLlib GBTRegressor) and per-series prophet-style coefficients (elastic-net LinearRegression). "
                        + "Artifacts are versioned JSON files that the runtime forecasters load without Spark (params: artifact: FILE)."})
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    TraceOptions traceOptions;

    @Option(names = "--master", description = "Spark master: local[*] (default; under spark-submit, its master), local[N] or spark://HOST:PORT")
    String master;

    @Option(names = "--out", paramLabel = "DIR", description = "artifact folder (default: models/ in the project)")
    Path out;

    @Option(names = "--horizon", defaultValue = "2h", paramLabel = "DURATION", description = "longest lead the gbt model is trained for (default: ${DEFAULT-VALUE})")
    String horizon;

    @Option(names = "--models", split = "\\s*,\\s*", splitSynopsisLabel = ",", paramLabel = "MODEL", defaultValue = "gbt,prophet-style", description = "what to train (default: ${DEFAULT-VALUE})")
    List<String> models;

    @Option(names = "--to", paramLabel = "TIME", description = "train only on data before this: an offset from the trace's first interval "
            + "(7d, 36h) or an ISO time (default: the whole trace). A simulation that uses the artifacts must start at or after it")
    String to;

    @Option(names = "--trees", defaultValue = "20", description = "gbt boosting iterations (default: ${DEFAULT-VALUE})")
    int trees;

    /**
     * {@code --out} as given, relative to the working folder like every other path option (it was taken relative to
     * the project, so {@code --out models} from another folder wrote into the project, and under spark-submit into
     * the working folder); without it, {@code models/} in the project.
     */
    static Path artifactDir(Path out, Path projectRoot) {
        return out != null ? out : projectRoot.resolve("models");
    }

    @Override
    public Integer call() throws Exception {
        SparkSessions.checkMaster(master, "--master");
        if (trees < 1) throw new ConfigException("--trees", "must be >= 1");
        for (String m : models) if (!m.equals("gbt") && !m.equals("prophet-style")) throw new IllegalArgumentException("--models: unknown '" + m + "' (known: gbt, prophet-style)");
        java.time.Duration lead = Durations.parseOption("--horizon", horizon);
        TraceSource src = traceOptions.source();
        List<SeriesData> series = traceOptions.load(src).series();
        EventCalendar cal = traceOptions.calendar();
        TimeGrid grid = new TimeGrid(series.get(0).interval());
        TraceOptions.requireMultiple(lead, series.get(0).interval(), "--horizon");
        Path dir = artifactDir(out, TraceOptions.projectRoot());
        Files.createDirectories(dir);
        Map<String, Integer> until = new LinkedHashMap<>();
        java.time.Instant cut = to == null ? null : TrainingCut.parse(to, series, "--to");
        for (SeriesData s : series) until.put(s.name(), TrainingCut.length(s, cut));
        long t0 = System.nanoTime();
        SparkSession spark = SparkSessions.start(master, "prescale-forecast-train");
        String master = spark.sparkContext().master();
        System.err.printf("training on Spark %s: %s, %d series at %s%n", master, src.id(), series.size(), Durations.format(grid.interval()));
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
