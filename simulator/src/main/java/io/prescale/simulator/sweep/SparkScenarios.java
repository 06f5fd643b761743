package io.prescale.simulator.sweep;

import io.prescale.core.forecast.Forecaster;
import io.prescale.forecasting.spark.SparkTasks;
import io.prescale.simulator.metrics.RunResult;

import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Runs a sweep's scenarios as Spark tasks, one task per scenario. A task carries only the experiment's
 * text and the scenario's index: the executor re-expands the experiment, reads the trace (once per
 * context per executor JVM) and simulates. Scenarios are seeded and independent, so the results equal a
 * local run's. Traces and catalogs must be at the same paths on every executor (a shared file system).
 */
public final class SparkScenarios implements ScenarioExecutor {

    /** What travels to an executor. */
    record Input(String specText, String baseDir, String dataDir, int scenario) implements Serializable {}

    /** Contexts already prepared in this JVM: filled by the executors' first task per context, and by the driver in local mode. */
    private static final Map<List<Object>, PreparedContext> CONTEXTS = new ConcurrentHashMap<>();

    private final String master;
    private final String specText;
    private final Path baseDir;
    private final Optional<Path> dataDir;
    private final Function<String, Forecaster> forecasters;
    private final PrintStream log;
    private int parallelism;

    /**
     * {@code master}: local[N], spark://host:port, yarn, ... or null for the master spark-submit set.
     * {@code forecasters} must be serialisable (it travels with every task).
     */
    public SparkScenarios(String master, String specText, Path baseDir, Optional<Path> dataDir,
                          Function<String, Forecaster> forecasters, PrintStream log) {
        if (!(forecasters instanceof Serializable))
            throw new IllegalArgumentException("the forecaster rule must be Serializable to travel with Spark tasks");
        this.master = master;
        this.specText = specText;
        this.baseDir = baseDir.toAbsolutePath();
        this.dataDir = dataDir.map(Path::toAbsolutePath);
        this.forecasters = forecasters;
        this.log = log;
    }

    @Override
    public List<ScenarioResult> run(List<Scenario> scenarios, Map<Object, PreparedContext> contexts, SweepRunner.Listener listener) {
        String data = dataDir.map(Path::toString).orElse(null);
        // in local mode the executors share this JVM: hand them the contexts the driver already prepared
        List<List<Object>> seeded = new ArrayList<>();
        contexts.forEach((k, c) -> {
            List<Object> key = key(specText, data, k);
            CONTEXTS.put(key, c);
            seeded.add(key);
        });
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) inputs.add(new Input(specText, baseDir.toString(), data, i));
        try {
            // which scenario finished, as the local workers say it; its figures follow once all are back
            SparkTasks.Progress progress = new SparkTasks.Progress() {
                @Override
                public void finished(int done, int total) {
                    log.printf(Locale.ROOT, "  [%d/%d] scenarios done on Spark%n", done, total);
                }

                @Override
                public void finished(int done, int total, int input) {
                    log.printf(Locale.ROOT, "  [%d/%d] %s done on Spark%n", done, total, scenarios.get(input).label());
                }
            };
            SparkTasks.Outcome<RunResult> o = SparkTasks.run(master, "prescale-sweep", inputs, new Task(forecasters), progress);
            parallelism = o.parallelism();
            List<ScenarioResult> out = new ArrayList<>();
            for (int i = 0; i < scenarios.size(); i++) {
                ScenarioResult r = new ScenarioResult(scenarios.get(i), o.results().get(i));
                out.add(r);
                listener.finished(i + 1, scenarios.size(), r);
            }
            return out;
        } finally {
            seeded.forEach(CONTEXTS::remove);
        }
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public String describe() {
        return "Spark " + (master != null ? master : System.getProperty("spark.master", "local[*]"));
    }

    private static List<Object> key(String specText, String dataDir, Object contextKey) {
        return java.util.Arrays.asList(specText, dataDir, contextKey);
    }

    /** The work of one Spark task: rebuild the scenario from the experiment text, simulate it. */
    static final class Task implements SparkTasks.Task<Input, RunResult> {
        private final Function<String, Forecaster> forecasters;

        Task(Function<String, Forecaster> forecasters) {
            this.forecasters = forecasters;
        }

        @Override
        public RunResult run(Input in) {
            ExperimentSpec spec = SpecReader.parse(in.specText(), Path.of(in.baseDir()));
            Scenario s = Expansion.scenarios(spec).get(in.scenario());
            Optional<Path> data = Optional.ofNullable(in.dataDir()).map(Path::of);
            PreparedContext c = CONTEXTS.computeIfAbsent(key(in.specText(), in.dataDir(), s.context().key()),
                    k -> SweepRunner.prepare(spec, List.of(s), data, forecasters, System.err).get(s.context().key()));
            return SweepRunner.simulate(s, c.setup());
        }
    }
}
