package io.prescale.simulator.cli;

import io.prescale.core.config.ConfigException;

import io.prescale.core.text.Plural;
import io.prescale.datasets.SharedTraces;
import io.prescale.simulator.sweep.ContextBests;
import io.prescale.simulator.sweep.Expansion;
import io.prescale.simulator.sweep.ExperimentSpec;
import io.prescale.simulator.sweep.Scenario;
import io.prescale.simulator.sweep.SpecReader;
import io.prescale.simulator.sweep.Sweep;
import io.prescale.simulator.sweep.SweepReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.prescale.core.forecast.Forecaster;
import io.prescale.forecasting.ForecasterChoice;
import io.prescale.simulator.sweep.ScenarioExecutor;
import io.prescale.simulator.sweep.SparkScenarios;
import io.prescale.simulator.sweep.SweepRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code prescale sweep}: expands an experiment into scenarios, runs them in parallel, picks the winning policy. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run an experiment's scenarios and pick the winning policy (winner.yaml).",
                "Every combination of its list-valued keys (policies x params x traces x windows x sharing x packers x consolidation x rate scales x seeds) "
                + "as a scenario, in parallel on local cores or as Spark tasks (--master); write a table, sweep.json, a cost-vs-SLO Pareto chart, a chart of cold starts against idle GPU memory, "
                + "report.html and winner.yaml (the policy file the live runner loads) for the configuration that minimises the objective among those "
                + "meeting the SLO target in every context (objective: {minimize: gpuHours|costUsd, sloTarget: 0.99, confidence: 0|0.9|0.95|0.99}; "
                + "a confidence asks the Wilson lower bound of the attainment to meet the target); and, for each context (e.g. a packer with or "
                + "without consolidation), each policy at its best there.",
                "Exit codes: 0 winner found, 4 no configuration met the SLO target, 3 a run violated an invariant, 2 bad input "
                + "(or a scenario whose rate scale left its window no request)."},
        footer = {"", "Example (check the experiment and list its scenarios, then run it):",
                "  prescale sweep --spec experiments/azure-llm.yaml --dry-run",
                "  prescale sweep --spec experiments/azure-llm.yaml --out runs/azure"})
public final class SweepCommand implements Callable<Integer> {

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "Experiment YAML (schema prescale.experiment/v1), e.g. experiments/servegen.yaml.")
    Path spec;

    @Option(names = "--workers", paramLabel = "N", description = "Scenarios simulated in parallel (default: all cores).")
    Integer workers;

    @Option(names = "--forecaster", paramLabel = "ID[:KEY=VALUE,...]",
            description = "Forecaster of the predictive policies in every scenario, as simulate --forecaster (default holt-winters); "
                    + "winner.yaml names it, so the live runner runs the winner with it.")
    String forecaster;

    @Option(names = "--master", paramLabel = "URL",
            description = "Run the scenarios as Spark tasks on this master: local[N], local[*], spark://HOST:7077, yarn, k8s://... "
                    + "(traces and catalogs must be at the same paths on every executor). Under spark-submit, its master is used when this is left out.")
    String master;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default runs/<experiment>/<utc>-<gitsha>/).")
    Path out;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder of the shared traces (default: $PRESCALE_DATA or ../shared/datasets).")
    Path data;

    @Option(names = "--dry-run", description = "Check the experiment as the run would (its traces read, catalogs loaded, windows and rate "
            + "scales checked against the traces, the flags), list the scenarios it expands into, then stop without simulating.")
    boolean dryRun;

    /** A key of the experiment that fails once its traces are read ("trace", "windows[1].from") named with its file, as SpecReader's errors are; a flag's error as it is. */
    private RuntimeException inSpec(RuntimeException e) {
        if (!(e instanceof ConfigException c) || c.path().startsWith("--")) return e;
        return new ConfigException(c.path().equals("experiment") ? spec.toString() : spec + ": " + c.path(), c.reason());
    }

    @Override
    public Integer call() throws IOException {
        io.prescale.forecasting.spark.SparkSessions.checkMaster(master, "--master");
        ExperimentSpec experiment = SpecReader.read(spec);
        List<Scenario> scenarios;
        try {
            scenarios = Expansion.scenarios(experiment);
        } catch (RuntimeException e) {
            throw inSpec(e); // "policies[1]: duplicate scenario": in which file?
        }
        Path root = io.prescale.core.config.ProjectHome.root();
        Optional<Path> dataDir = SharedTraces.findDataDir(Optional.ofNullable(data), root);
        ForecasterChoice forecasters = forecaster == null ? ForecasterChoice.DEFAULT : ForecasterChoice.parse(forecaster, "--forecaster");
        ScenarioExecutor executor = executor(dataDir, forecasters); // its flags checked before the run folder is made
        if (dryRun) {
            // what the run would refuse, a dry run refuses: traces that are missing or do not parse, catalogs with errors,
            // windows outside a trace, a rate scale that leaves a window empty; only the scenarios are not simulated
            if (out != null) SimulateCommand.checkRunDir(out);
            java.util.Map<Object, io.prescale.simulator.sweep.PreparedContext> contexts;
            try {
                contexts = SweepRunner.prepare(experiment, scenarios, dataDir, forecasters, System.err);
            } catch (RuntimeException e) {
                throw inSpec(e);
            }
            System.out.println(experiment.name() + ": " + Plural.count(scenarios.size(), "scenario", "scenarios") + " in "
                    + Plural.count(contexts.size(), "context", "contexts") + " (traces, catalogs and windows checked); objective: "
                    + experiment.objective().text());
            for (Scenario s : scenarios) System.out.println("  " + s.label());
            return 0;
        }
        // the run folder before the scenarios run: an --out that cannot be written failed only after all of them
        Path dir = out != null ? out : SimulateCommand.defaultRunDir(root, experiment.name());
        boolean created = out == null || !java.nio.file.Files.exists(dir); // the default folder is new, made by defaultRunDir
        SimulateCommand.makeRunDir(dir);
        Sweep.Outcome o;
        try (InterruptedRun guard = InterruptedRun.arm("prescale sweep", dir, created, System.err)) {
            o = Sweep.run(experiment, new Sweep.Options(dataDir, executor, forecasters, System.err,
                    ProgressPrinter.stderrIsTerminal()));
        } catch (RuntimeException e) {
            InterruptedRun.tidy(dir, created); // a trace or catalog the experiment names fails here: no empty folder left
            throw inSpec(e);
        }
        Sweep.write(dir, spec, o);
        // as simulate's: a scenario whose scaled window held no request is an error, after its run folder is written
        RuntimeException empty = o.empty().isEmpty() ? null : inSpec(new ConfigException(o.empty().get(0).field(),
                "scenario " + o.empty().get(0).label() + ": " + o.empty().get(0).problem()
                        + (o.empty().size() > 1 ? "; and " + Plural.count(o.empty().size() - 1, "other scenario", "other scenarios") : "")
                        + " (the run folder is kept, without winner.yaml: " + dir + ")"));

        System.out.println();
        System.out.printf(java.util.Locale.ROOT, "%s: %s in %.1f s on %s; objective: %s%n", experiment.name(),
                Plural.count(o.results().size(), "scenario", "scenarios"), o.wallSeconds(), o.executor(), experiment.objective().text());
        SweepReport.printTable(System.out, experiment.objective(), o.results(), o.pareto(), o.winner());
        System.out.println();
        ContextBests.print(System.out, experiment.objective(), o.bests());
        System.out.println();
        if (o.winner().isPresent()) {
            System.out.println("Winner: " + o.winner().get().arm().label());
            System.out.println("Why: " + o.winner().get().reason());
            System.out.println("Policy file: " + dir.resolve(SweepReport.WINNER));
            if (!forecasters.equals(ForecasterChoice.DEFAULT) && ForecasterChoice.appliesTo(o.winner().get().arm().policy()))
                System.out.println("It won with --forecaster " + forecasters + ", which the policy file names: the live runner runs it with that forecaster");
        } else {
            System.out.println("No winner: " + o.noWinner());
        }
        System.out.println("Report: " + dir.resolve(SweepReport.HTML));
        if (empty != null) throw empty;
        if (!o.invariantsHold()) {
            System.out.println("INVARIANT VIOLATED in at least one scenario (flag ! in the table)");
            return 3;
        }
        return o.winner().isPresent() ? 0 : 4;
    }

    /** Spark tasks when --master is given or spark-submit set a master; else threads here (--workers, default all cores). */
    ScenarioExecutor executor(Optional<Path> dataDir, Function<String, Forecaster> forecasters) throws IOException {
        String submitted = System.getProperty("spark.master");
        if (master != null || submitted != null) {
            if (workers != null) throw new IllegalArgumentException("give --workers (threads here) or --master (Spark tasks), not both");
            String m = master != null ? master.trim() : null;
            if (m != null && m.isEmpty()) throw new IllegalArgumentException("--master: empty; e.g. local[2] or spark://HOST:7077");
            return new SparkScenarios(m, Files.readString(spec), spec.toAbsolutePath().getParent(), dataDir, forecasters, System.err);
        }
        if (workers != null && workers < 1) throw new ConfigException("--workers", "must be >= 1"); // as simulate says it
        return SweepRunner.local(workers != null ? workers : Runtime.getRuntime().availableProcessors());
    }
}
