package io.prescale.simulator.sweep;

import io.prescale.core.text.Percent;
import io.prescale.forecasting.ForecasterChoice;
import io.prescale.core.config.Yaml;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.text.Plural;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** A whole sweep: expand the experiment, load its traces, run the scenarios, pick the winner, write the run folder. */
public final class Sweep {
    private Sweep() {}

    /** Where traces come from, where scenarios run, each policy's forecaster, where progress goes. */
    public record Options(Optional<Path> dataDir, ScenarioExecutor executor, Function<String, Forecaster> forecasters, PrintStream log,
                          boolean logIsTerminal) {
        /** Progress as for a log: a line at each tenth of the way. */
        public Options(Optional<Path> dataDir, ScenarioExecutor executor, Function<String, Forecaster> forecasters, PrintStream log) {
            this(dataDir, executor, forecasters, log, false);
        }
    }

    /** What a sweep found. */
    public record Outcome(ExperimentSpec spec, List<ScenarioResult> results, Map<Object, PreparedContext> contexts,
                          Set<Integer> pareto, Optional<Winner> winner, String noWinner, List<ContextBests> bests, int workers,
                          String executor, double wallSeconds, String forecaster, List<EmptyScenario> empty) {
        public boolean invariantsHold() {
            return results.stream().allMatch(r -> r.result().invariants().hold());
        }
    }

    /**
     * A scenario whose scaled window held no requests although the trace has some there: its figures (100 % SLO on
     * nothing) score nothing, and it could have won. {@code field}: the experiment's key that holds its rate scale.
     */
    public record EmptyScenario(String label, String field, String problem) {}

    public static Outcome run(ExperimentSpec spec, Options o) {
        List<Scenario> scenarios = Expansion.scenarios(spec);
        Map<Object, PreparedContext> contexts = SweepRunner.prepare(spec, scenarios, o.dataDir(), o.forecasters(), o.log());
        o.log().printf(Locale.ROOT, "Sweeping %s (%s) on %s%n", Plural.count(scenarios.size(), "scenario", "scenarios"),
                Plural.count(contexts.size(), "context", "contexts"), o.executor().describe());
        long start = System.nanoTime();
        // Spark tasks count themselves as they finish; their figures come back together at the end, not counted again
        boolean counted = !(o.executor() instanceof SparkScenarios);
        // progress within the running scenarios too, so a sweep of long scenarios is not silent until one ends
        SweepProgress progress = new SweepProgress(o.log(), scenarios.size(), o.logIsTerminal(), System::nanoTime, (done, total, r) -> {
            var t = r.result().totals();
            return String.format(Locale.ROOT, "  %s%s: SLO %s%%, %.2f GPU-h, %.1f s", counted ? "[" + done + "/" + total + "] " : "", r.scenario().label(),
                    Percent.of(t.sloAttainment(), 2), t.gpuHours(), r.result().wallSeconds());
        });
        List<ScenarioResult> results = o.executor().run(scenarios, contexts, progress);
        double wall = (System.nanoTime() - start) / 1e9;
        List<EmptyScenario> empty = new ArrayList<>();
        for (ScenarioResult r : results) {
            var setup = contexts.get(r.scenario().context().key()).setup();
            String problem = io.prescale.simulator.setup.ScaledWindow.of(setup.workload(), setup.from(), setup.to(), setup.rateScale())
                    .emptyRunProblem(r.result().totals().requests());
            if (problem != null) empty.add(new EmptyScenario(r.scenario().label(), r.scenario().context().rateScale().path(), problem));
        }
        // no winner is picked among scenarios of which some scored nothing: winner.yaml would rest on them
        Optional<Winner> winner = empty.isEmpty() ? Winner.pick(spec.objective(), results) : Optional.empty();
        String noWinner = winner.isPresent() ? null : !empty.isEmpty()
                ? Plural.count(empty.size(), "scenario", "scenarios") + " held no requests in the scaled window ("
                + String.join("; ", empty.stream().limit(3).map(EmptyScenario::label).toList()) + (empty.size() > 3 ? "; ..." : "") + ")"
                : Winner.noWinnerReason(spec.objective(), results);
        return new Outcome(spec, results, contexts, SweepReport.paretoIndices(spec.objective(), results), winner, noWinner,
                ContextBests.of(spec.objective(), results), o.executor().parallelism(), o.executor().describe(), wall,
                o.forecasters() instanceof ForecasterChoice c && !c.equals(ForecasterChoice.DEFAULT) ? c.toString() : null, List.copyOf(empty));
    }

    /** Writes sweep.json, pareto.png, bests.png, cold-starts.png, cold-start-loads.png, report.html, manifest.json, a copy of the experiment and (when there is one) winner.yaml. */
    public static void write(Path dir, Path specFile, Outcome o) throws IOException {
        Files.createDirectories(dir);
        // a run into the folder of an earlier one: its winner.yaml goes first, so that a write failing half-way (a full
        // disk) leaves no winner beside this run's sweep.json that this run did not pick
        Path winnerFile = dir.resolve(SweepReport.WINNER);
        Files.deleteIfExists(winnerFile);
        ExperimentSpec spec = o.spec();
        SweepReport.writeJson(dir.resolve(SweepReport.JSON), SweepReport.json(spec, o.results(), o.contexts(), o.pareto(), o.winner(),
                o.noWinner(), o.bests(), o.workers(), o.wallSeconds()));
        SweepReport.chart(dir.resolve(SweepReport.CHART), spec, o.results(), o.winner());
        BestsChart.write(dir.resolve(BestsChart.FILE), spec, o.bests());
        ColdStartChart.write(dir, spec, o.results());
        SweepReport.html(dir.resolve(SweepReport.HTML), spec, o.results(), o.contexts(), o.pareto(), o.winner(), o.noWinner(), o.bests(),
                o.workers(), o.wallSeconds());
        if (specFile != null) copyExperiment(specFile, dir);
        if (o.winner().isPresent()) o.winner().get().policyFile(spec.name(), o.forecaster()).write(winnerFile);
        manifest(dir, specFile, o);
    }

    /**
     * The run folder's {@code experiment.yaml}: the experiment, to run again as is from wherever it is run. Relative
     * trace files and catalogs are resolved against the experiment's folder, so a plain copy named files next to the
     * copy that are not there; they are rewritten relative to the run folder (absolute where no relative path leads
     * there, another drive), so the copy names the same files and no machine path. A file with none is copied as is.
     */
    static void copyExperiment(Path specFile, Path dir) throws IOException {
        String text = Files.readString(specFile);
        Path target = dir.resolve("experiment.yaml");
        Path base = specFile.toAbsolutePath().getParent();
        Path runDir = dir.toAbsolutePath().normalize();
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = Yaml.yaml().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            root = null; // it ran, so it parsed; copied as is all the same
        }
        boolean changed = false;
        if (root instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            changed |= rewrite(o, "trace", v -> {
                int colon = v.indexOf(':');
                if (colon <= 0) return v; // a shipped trace's name
                String moved = movedPath(v.substring(colon + 1), base, runDir);
                return moved == null ? v : v.substring(0, colon + 1) + moved;
            });
            changed |= rewrite(o, "catalog", v -> {
                String moved = movedPath(v, base, runDir);
                return moved == null ? v : moved;
            });
        }
        if (!changed || base.equals(runDir)) {
            Files.writeString(target, text);
            return;
        }
        Files.writeString(target, "# " + specFile.getFileName() + " as run, its relative trace and catalog paths rewritten relative to this folder\n"
                + Yaml.yaml().writeValueAsString(root));
    }

    /** Rewrites the text values of {@code key} (one or a list) by {@code f}; whether one changed. */
    private static boolean rewrite(com.fasterxml.jackson.databind.node.ObjectNode o, String key, Function<String, String> f) {
        com.fasterxml.jackson.databind.JsonNode n = o.get(key);
        if (n == null) return false;
        boolean changed = false;
        if (n.isTextual()) {
            String v = f.apply(n.asText());
            if (!v.equals(n.asText())) {
                o.put(key, v);
                changed = true;
            }
        } else if (n instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).isTextual()) continue;
                String v = f.apply(a.get(i).asText());
                if (!v.equals(a.get(i).asText())) {
                    a.set(i, com.fasterxml.jackson.databind.node.TextNode.valueOf(v));
                    changed = true;
                }
            }
        }
        return changed;
    }

    /** A relative {@code path} (from {@code base}) as seen from {@code runDir}; null when absolute (kept as is). */
    private static String movedPath(String path, Path base, Path runDir) {
        Path p = Path.of(path);
        if (p.isAbsolute()) return null;
        Path file = base.resolve(p).normalize();
        try {
            return runDir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        } catch (IllegalArgumentException e) { // another root: no relative path
            return file.toString();
        }
    }

    private static void manifest(Path dir, Path specFile, Outcome o) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", "prescale.manifest/v1");
        m.put("kind", "sweep");
        m.put("experiment", o.spec().name());
        m.put("specFile", specFile == null ? null : specFile.getFileName().toString());
        List<Map<String, Object>> scenarios = new ArrayList<>();
        for (ScenarioResult r : o.results()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("scenario", r.scenario().label());
            s.put("policy", r.scenario().policy());
            s.put("overrides", r.scenario().params());
            s.put("params", r.result().params());
            scenarios.add(s);
        }
        m.put("scenarios", scenarios);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("prescale", System.getProperty("prescale.version", "0.1.0-SNAPSHOT"));
        v.put("gitSha", System.getProperty("prescale.gitsha", "nogit"));
        v.put("java", System.getProperty("java.version"));
        v.put("workers", o.workers());
        v.put("executor", o.executor());
        m.put("versions", v);
        Yaml.json().writeValue(dir.resolve("manifest.json").toFile(), m);
    }
}
