package io.prescale.simulator.sweep;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.text.Plural;
import io.prescale.datasets.SharedTraces;
import io.prescale.datasets.TraceSource;
import io.prescale.forecasting.ForecasterChoice;
import io.prescale.simulator.cli.TimeWindow;
import io.prescale.simulator.cluster.ClusterOptions;
import io.prescale.simulator.cluster.SimulatedPool;
import io.prescale.simulator.engine.ParallelRuns;
import io.prescale.simulator.engine.Simulation;
import io.prescale.simulator.engine.SimulationSetup;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.setup.ScaledWindow;
import io.prescale.simulator.setup.TraceSetup;
import io.prescale.simulator.workload.Workload;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a sweep's scenarios on local cores. First every distinct trace is read once and every context's
 * setup built (so a bad window or catalog fails before any simulation); then all scenarios, across
 * contexts, go to one pool of {@code workers} threads. Each scenario is an independent, seeded
 * simulation, so results do not depend on the number of workers; they come back in scenario order.
 */
public final class SweepRunner {

    /** Told when a scenario finishes (from worker threads, one call at a time), and how far running ones are. */
    public interface Listener {
        void finished(int done, int total, ScenarioResult r);

        /**
         * Scenario {@code scenario} (its index in the sweep) is {@code fraction} of the way through its window (from
         * worker threads, at each of its report rows; an executor that cannot see inside a scenario never calls it).
         */
        default void running(int scenario, double fraction) {}

        Listener NONE = (d, t, r) -> {};
    }

    /** Default time-series row length: the sweep writes no time series, so coarse rows keep memory small. */
    static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofHours(1);

    private SweepRunner() {}

    /**
     * Reads the traces and builds one setup per distinct context. {@code forecasters} gives each policy
     * its forecaster (the simulator's rule); {@code log} hears what is being read.
     */
    public static Map<Object, PreparedContext> prepare(ExperimentSpec spec, List<Scenario> scenarios, Optional<Path> dataDir,
                                                       Function<String, Forecaster> forecasters, PrintStream log) {
        Map<String, TraceSource> sources = new LinkedHashMap<>();
        Map<String, Workload> workloads = new LinkedHashMap<>();
        Map<String, TraceSetup> traceSetups = new LinkedHashMap<>();
        Map<Object, PreparedContext> out = new LinkedHashMap<>();
        Map<Object, Double> expected = new java.util.HashMap<>(); // each context's scaled requests, for the long-run note
        Duration report = spec.reportInterval() != null ? Durations.parse(spec.reportInterval()) : DEFAULT_REPORT_INTERVAL;
        // an unscored warm-up before each window, so that every policy starts the scored window settled
        double warmup = spec.warmup() != null ? Durations.parse(spec.warmup()).toNanos() / 1e9 : 0;
        for (Scenario s : scenarios) {
            Scenario.Context c = s.context();
            if (out.containsKey(c.key())) continue;
            String traceSpec = c.trace().value();
            TraceSource source = sources.computeIfAbsent(traceSpec, t -> {
                try {
                    return SharedTraces.resolve(t, dataDir);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(c.trace().path(), e.getMessage());
                }
            });
            Workload w = workloads.computeIfAbsent(traceSpec, t -> {
                log.println("Reading trace " + source.id() + " (" + source.description() + ") ...");
                return TraceSetup.read(source, spec.skipBadRows());
            });
            String catalog = c.catalog().value();
            TraceSetup ts = traceSetups.computeIfAbsent(traceSpec + "|" + catalog, k -> {
                try {
                    return TraceSetup.of(source, w, catalog == null ? null : Path.of(catalog));
                } catch (ConfigException e) {
                    throw new ConfigException(c.catalog().path() + " (" + catalog + "): " + e.path(), e.reason());
                }
            });
            double from = c.window().from().value() == null ? w.start() : seconds(c.window().from(), w);
            double to = c.window().to().value() == null ? w.end() : seconds(c.window().to(), w);
            if (from < 0) throw new ConfigException(c.window().from().path(), "before the trace start " + w.origin());
            if (forecasters instanceof ForecasterChoice choice) choice.requireTrainedBefore(w.at(from), "--forecaster");
            if (to > w.end()) // said, as simulate says it: the scored window is shorter than the experiment asks
                log.println(c.window().to().path() + ": " + c.window().to().value() + " is past the end of the trace: the window ends with it, at " + w.at(w.end()));
            to = Math.min(to, w.end());
            String windowProblem = TimeWindow.problem(from, to, "", "", w::at, w.end());
            if (windowProblem != null) throw new ConfigException(c.window().from().path(), windowProblem);
            // a rate scale that leaves the window no request is refused as simulate --rate-scale is, naming the field
            ScaledWindow scaled = ScaledWindow.of(w, from, to, c.rateScale().value());
            if (scaled.scaleProblem() != null) throw new ConfigException(c.rateScale().path(), scaled.scaleProblem());
            if (scaled.traceEmptyWarning() != null) log.println(scaled.traceEmptyWarning() + " (" + c.window().from().path() + ")");
            Map<String, PoolShape> pools = ts.pools(c.sharing().value());
            SimulationSetup setup = new SimulationSetup(w, from, to, ts.specs(), pools, c.rateScale().value(), c.seed().value(),
                    report, TraceSetup.costModel(pools), forecasters, 0, 1,
                    new ClusterOptions(SimulatedPool.Packer.parse(c.packer().value()), c.consolidate().value(), false), warmup);
            out.put(c.key(), new PreparedContext(c, ts, setup));
            expected.put(c.key(), scaled.expectedRequests());
        }
        double inAll = 0;
        for (Scenario s : scenarios) inAll += expected.get(s.context().key());
        String note = ScaledWindow.sweepLongRunNote(scenarios.size(), inAll);
        if (note != null) log.println(note);
        return out;
    }

    private static double seconds(ExperimentSpec.At<String> when, Workload w) {
        try {
            return TimeWindow.parse(when.value(), w.origin(), when.path());
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            throw new ConfigException(when.path(), msg.startsWith(when.path()) ? msg.substring(when.path().length()).trim() : msg);
        }
    }

    /** Scenarios on {@code workers} threads of this JVM. */
    public static ScenarioExecutor local(int workers) {
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        return new ScenarioExecutor() {
            @Override
            public List<ScenarioResult> run(List<Scenario> scenarios, Map<Object, PreparedContext> contexts, Listener listener) {
                return SweepRunner.run(scenarios, contexts, workers, listener);
            }

            @Override
            public int parallelism() {
                return workers;
            }

            @Override
            public String describe() {
                return Plural.count(workers, "local worker", "local workers");
            }
        };
    }

    /** Runs one scenario in its prepared context; a failure names the scenario. */
    static RunResult simulate(Scenario s, SimulationSetup setup) {
        return simulate(s, setup, Simulation.Progress.NONE);
    }

    /** As {@link #simulate(Scenario, SimulationSetup)}, telling {@code progress} how far it is. */
    static RunResult simulate(Scenario s, SimulationSetup setup, Simulation.Progress progress) {
        try {
            return new Simulation(setup).run(s.policy(), s.params(), progress);
        } catch (RuntimeException e) {
            throw new IllegalStateException("scenario " + s.label() + ": " + e.getMessage(), e);
        }
    }

    /** Runs every scenario, {@code workers} at a time; results in scenario order. */
    public static List<ScenarioResult> run(List<Scenario> scenarios, Map<Object, PreparedContext> contexts, int workers,
                                           Listener listener) {
        int[] done = {0};
        List<java.util.concurrent.Callable<ScenarioResult>> tasks = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) {
            Scenario s = scenarios.get(i);
            int index = i;
            SimulationSetup setup = contexts.get(s.context().key()).setup();
            tasks.add(() -> {
                ScenarioResult sr = new ScenarioResult(s, simulate(s, setup, (policy, fraction, requests) -> {
                    synchronized (done) {
                        listener.running(index, fraction);
                    }
                }));
                synchronized (done) {
                    listener.finished(++done[0], scenarios.size(), sr);
                }
                return sr;
            });
        }
        return ParallelRuns.run(tasks, workers);
    }
}
