package io.prescale.simulator.cli;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.core.config.Yaml;
import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.resource.PoolShape;
import io.prescale.datasets.SharedTraces;
import io.prescale.datasets.TraceSource;
import io.prescale.forecasting.ForecasterChoice;
import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.cluster.ClusterOptions;
import io.prescale.simulator.cluster.SimulatedPool;
import io.prescale.simulator.setup.ScaledWindow;
import io.prescale.simulator.setup.TraceSetup;
import io.prescale.simulator.cost.RecommendationCheck;
import io.prescale.simulator.cost.RecommendationReport;
import io.prescale.simulator.cost.Recommender;
import io.prescale.simulator.engine.Experiment;
import io.prescale.simulator.engine.SimulationSetup;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.report.Charts;
import io.prescale.simulator.report.ConsoleTable;
import io.prescale.simulator.report.HtmlReport;
import io.prescale.core.text.Plural;
import io.prescale.simulator.report.Summary;
import io.prescale.simulator.report.TimeseriesCsv;
import io.prescale.simulator.workload.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code prescale simulate}: replays a trace against policies and writes a run folder with a report. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay a request trace against scaling policies on a simulated cluster and compare them.",
                "With no arguments: the shared ServeGen trace (days 1-14, rate-scaled), every policy in the catalog."},
        footer = {"", "Examples:",
                "  prescale simulate --trace alibaba-genai --policies reactive.hpa,oracle",
                "  prescale simulate --trace servegen --from 7d --to 9d --rate-scale 0.02 \\",
                "      --policies reactive.hpa -p reactive.hpa.targetUtilization=0.5",
                "  prescale simulate --trace requests-csv:my.csv --catalog my-catalog.yaml",
                "Prints a table per policy and writes summary.json, timeseries.csv, charts and report.html to the run folder.",
                "Exit codes: 0 done, 3 a run violated an invariant, 2 bad input (or a rate scale that left the window no request)."})
public final class SimulateCommand implements Callable<Integer> {

    static final String DEFAULT_TRACE = "servegen";
    static final double DEFAULT_SCALE = 0.005;

    @Option(names = "--trace", paramLabel = "NAME|FORMAT:PATH",
            description = "Shared trace name (see 'prescale traces') or FORMAT:PATH. Default: servegen (synthetic when no shared data).")
    String trace;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder of the shared traces (default: $PRESCALE_DATA or ../shared/datasets).")
    Path data;

    @Option(names = "--policies", split = "\\s*,\\s*", splitSynopsisLabel = ",", paramLabel = "ID", description = "Policies to compare (default: every policy in the catalog).")
    List<String> policies;

    @Option(names = {"--param", "-p"}, paramLabel = "POLICY.KEY=VALUE", description = "Override a policy parameter, e.g. reactive.hpa.targetUtilization=0.5.")
    List<String> params = new ArrayList<>();

    @Option(names = "--from", paramLabel = "WHEN", description = "Start of the scored window: offset from the trace start (36h, 2d) or ISO time. Data before it is history.")
    String from;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "0s",
            description = "Run the cluster unscored for this long before --from (from the trace start at the earliest), so the scored window starts settled (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--to", paramLabel = "WHEN", description = "End of the scored window (default: end of the trace).")
    String to;

    @Option(names = "--rate-scale", paramLabel = "X", description = "Thin (<1) or multiply (>1) arrivals. Default 1 (0.005 for the default ServeGen run). "
            + "A scale that leaves the window fewer than one expected request is refused; a run it thinned to none exits 2.")
    Double rateScale;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for arrival generation and policies (default ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--catalog", paramLabel = "FILE", description = "Model and pool catalog YAML (default: the shipped catalog for the trace).")
    Path catalog;

    @Option(names = "--skip-bad-rows", description = "Skip malformed trace rows (counted in the summary) instead of stopping.")
    boolean skipBadRows;

    @Option(names = "--report-interval", paramLabel = "DURATION", description = "Time-series row length (default: about 400 rows over the window).")
    String reportInterval;

    @Option(names = "--sharing", paramLabel = "MODE", description = "Override the sharing mode of every GPU pool that supports it: exclusive, mig, mps, time-sliced.")
    String sharing;

    @Option(names = "--packer", paramLabel = "NAME", description = "How replicas are packed onto GPUs: first-fit (default), first-fit-decreasing (each tick's scale-downs first, then its new replicas largest first), best-fit, or load-aware (MPS: SM caps of idle replicas oversubscribed, by the compute their GPU was busy with).", defaultValue = "first-fit")
    String packer;

    @Option(names = "--consolidate", description = "Drain the least used shared-GPU node onto fuller ones when it fits (migrations pay the load time).")
    boolean consolidate;

    @Option(names = "--admission", description = "Deadline admission: reject at arrival a request that cannot finish within its SLO behind the "
            + "queue already waiting, by the service times measured so far (counted as dropped, and in scheduling.rejectedEarly), as the live runner does.")
    boolean admission;

    @Option(names = "--workers", paramLabel = "N", description = "Policies simulated in parallel (default: all cores).")
    Integer workers;

    @Option(names = "--model-threads", paramLabel = "N", description = "Threads streaming one run's models in parallel (default ${DEFAULT-VALUE}); for long single-policy replays. A policy that starts replicas on arrival (Knative, Ray Serve, keep-alive, predictive) streams them on one thread, in the order of those starts.", defaultValue = "1")
    int modelThreads;

    @Option(names = "--replica-mtbf", paramLabel = "HOURS", description = "Inject replica failures with this mean time between failures (default off).", defaultValue = "0")
    double mtbfHours;

    @Option(names = "--forecaster", paramLabel = "ID[:KEY=VALUE,...]",
            description = "Forecaster of the predictive policies (default holt-winters; SageServe-style keeps its ARIMA), e.g. "
                    + "ensemble, or gbt:artifact=models/gbt-servegen.json from 'prescale forecast train --to' before --from.")
    String forecaster;

    @Option(names = "--recommend", paramLabel = "POLICY", arity = "0..1", fallbackValue = "",
            description = "Cost recommendations for POLICY's run (default: the first policy), each verified by re-simulating it.")
    String recommendFor;

    @Option(names = "--spot-market", paramLabel = "NAME", defaultValue = "aws-top-band",
            description = "How --recommend re-simulates a spot move: aws-top-band (each node interrupted at 20 %% a month, AWS Spot "
                    + "Instance Advisor's highest band, 2-minute notice; default) or gcp-preemptible (each node taken back 24 h after "
                    + "it starts, 30 s notice).")
    String spotMarket;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default runs/<experiment>/<utc>-<gitsha>/).")
    Path out;

    @Option(names = "--experiment", paramLabel = "NAME", description = "Experiment name for the run folder (default simulate-<trace>).")
    String experiment;

    @Override
    public Integer call() throws IOException {
        Path root = io.prescale.core.config.ProjectHome.root();
        for (String[] o : new String[][] {{"--from", from}, {"--to", to}, {"--warmup", warmup}, {"--report-interval", reportInterval}})
            if (o[1] != null) Durations.requireUnit(o[0], o[1]); // before the trace is read
        // it names a folder under runs/: "../x" left it, "a/b" nested one
        if (experiment != null && !experiment.matches(io.prescale.core.config.PolicyFile.NAME_RULE))
            throw new ConfigException("--experiment", "use letters, digits, '.', '_' or '-' only, starting with a letter or digit, at most 128 (it names the run folder)");
        if (policies != null)
            for (String id : policies)
                try {
                    PolicyCatalog.entry(id); // a typo is named before the trace is read, as the flag that holds it
                } catch (ConfigException e) {
                    throw new ConfigException("--policies", e.reason());
                }
        try {
            if (sharing != null) io.prescale.core.resource.SharingMode.parse(sharing); // named as the flag, before the trace is read
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--sharing", e.getMessage());
        }
        try {
            SimulatedPool.Packer.parse(packer);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--packer", e.getMessage());
        }
        io.prescale.simulator.cluster.SpotMarket market;
        try {
            market = io.prescale.simulator.cluster.SpotMarket.named(spotMarket);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--spot-market", e.getMessage());
        }
        List<String> ids = policies == null || policies.isEmpty() ? new ArrayList<>(PolicyCatalog.ids()) : policies;
        if (new java.util.HashSet<>(ids).size() != ids.size()) throw new ConfigException("--policies", "names a policy twice: " + ids);
        if (workers != null && workers < 1) throw new ConfigException("--workers", "must be >= 1");
        if (modelThreads < 1) throw new ConfigException("--model-threads", "must be >= 1");
        if (!(mtbfHours >= 0)) throw new ConfigException("--replica-mtbf", "must be >= 0 hours (0: no failures)");
        if (recommendFor != null && !recommendFor.isEmpty() && !ids.contains(recommendFor))
            throw new ConfigException("--recommend", "'" + recommendFor + "' is not among --policies " + ids);
        Map<String, Map<String, Object>> overrides = ParamFlags.parse(params, ids);
        List<Experiment.Arm> arms = new ArrayList<>();
        for (String id : ids) {
            PolicyCatalog.entry(id);
            arms.add(new Experiment.Arm(id, overrides.getOrDefault(id, Map.of())));
            ParamFlags.check(id, overrides.getOrDefault(id, Map.of())); // a typo in -p is named before the trace is read, as --policies is
        }
        Optional<Path> dataDir = SharedTraces.findDataDir(Optional.ofNullable(data), root);
        boolean defaultRun = trace == null;
        String spec = trace;
        String note = "";
        if (spec == null) {
            spec = DEFAULT_TRACE;
            if (dataDir.isEmpty()) {
                System.err.println("No shared data folder found (../shared/datasets, --data or $PRESCALE_DATA): "
                        + "running the built-in synthetic trace instead.");
                spec = SharedTraces.SYNTHETIC;
                note = "Shared data was not found; this run uses the built-in synthetic trace.";
            }
        }
        TraceSource source = SharedTraces.resolve(spec, dataDir);
        double scale = rateScale != null ? rateScale : (defaultRun && spec.equals(DEFAULT_TRACE) ? DEFAULT_SCALE : 1.0);
        // Infinity thinned nothing and multiplied nothing: the run saw 0 requests and exited 0
        if (!(scale > 0 && Double.isFinite(scale))) throw new IllegalArgumentException("--rate-scale must be a finite number > 0, got " + scale);

        ForecasterChoice forecasters = forecaster == null ? ForecasterChoice.DEFAULT : ForecasterChoice.parse(forecaster, "--forecaster");
        System.err.println("Reading trace " + source.id() + " (" + source.description() + ") ...");
        Workload w = TraceSetup.read(source, skipBadRows);
        double fromS = from != null ? TimeWindow.parseFlag(from, w.origin(), "--from") : (defaultRun && spec.equals(DEFAULT_TRACE) ? 86400 : w.start());
        double toS = to != null ? TimeWindow.parseFlag(to, w.origin(), "--to") : w.end();
        if (fromS < 0) throw new IllegalArgumentException("--from is before the trace start " + w.origin());
        forecasters.requireTrainedBefore(w.at(fromS), "--forecaster");
        if (to != null && toS > w.end()) // said, not silently cut: the summary's window is shorter than asked
            System.err.println("--to " + to + " is past the end of the trace: the window ends with it, at " + w.at(w.end()));
        toS = Math.min(toS, w.end());
        // "--to 1d" on the default run: its --from is day 1, which the user never typed
        String fromLabel = from != null || !(fromS > 0) ? "--from "
                : defaultRun && spec.equals(DEFAULT_TRACE) ? "--from (default " + Durations.format(Duration.ofSeconds((long) fromS)) + " on the default run) "
                : "--from (default: the trace's first record) ";
        String windowProblem = TimeWindow.problem(fromS, toS, fromLabel, "--to ", w::at, w.end());
        if (windowProblem != null) throw new IllegalArgumentException(windowProblem);
        ScaledWindow scaled = ScaledWindow.of(w, fromS, toS, scale);
        if (scaled.scaleProblem() != null) throw new ConfigException("--rate-scale", scaled.scaleProblem());
        if (scaled.traceEmptyWarning() != null) System.err.println(scaled.traceEmptyWarning());
        if (scaled.longRunNote(arms.size()) != null) System.err.println(scaled.longRunNote(arms.size()));

        TraceSetup ts = TraceSetup.of(source, w, catalog);
        ModelCatalog cat = ts.catalog();
        List<ModelSpec> specs = ts.specs();
        int unmatched = ts.unmatchedModels();
        Map<String, PoolShape> pools = ts.pools(sharing);
        CostModel cost = TraceSetup.costModel(pools);

        Duration report = reportInterval != null ? Durations.parseOption("--report-interval", reportInterval) : autoReportInterval(toS - fromS);
        // each row is one line per policy and model: bounded so a typo cannot write a gigabyte of CSV
        if (report.compareTo(Duration.ofSeconds(1)) < 0) throw new ConfigException("--report-interval", "must be at least 1s");
        if ((toS - fromS) / Durations.seconds(report) > MAX_REPORT_ROWS)
            throw new ConfigException("--report-interval", "gives " + (long) ((toS - fromS) / Durations.seconds(report)) + " rows over the window; at most "
                    + MAX_REPORT_ROWS + " (use a longer interval)");
        SimulationSetup setup = new SimulationSetup(w, fromS, toS, specs, pools, scale, seed, report, cost,
                forecasters::forPolicy, mtbfHours, modelThreads, new ClusterOptions(SimulatedPool.Packer.parse(packer), consolidate, admission),
                Durations.parseOption("--warmup", warmup).toNanos() / 1e9);

        System.err.printf(Locale.ROOT, "Simulating %s on %s, %s to %s, %s, rate scale %s%n", Plural.count(arms.size(), "policy", "policies"), source.id(),
                w.at(fromS), w.at(toS), Plural.count(specs.size(), "model", "models"), scale);
        int nWorkers = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        // the run folder before the run: a folder that cannot be written fails now, not after an hour of simulation
        Path dir = out != null ? out : defaultRunDir(root, experiment != null ? experiment : "simulate-" + source.id().replaceAll("[^A-Za-z0-9._-]", "_"));
        boolean created = out == null || !Files.exists(dir); // the default folder is new, made by defaultRunDir
        makeRunDir(dir);
        if (Files.exists(dir.resolve("summary.json"))) System.err.println("--out " + dir + " holds an earlier run: its files are replaced");
        // an earlier run's recommendations would sit beside this run's summary as if they were its own
        if (recommendFor == null) Files.deleteIfExists(dir.resolve("recommendations.json"));
        ProgressPrinter progress = new ProgressPrinter(System.err, arms.size());
        List<RunResult> results;
        try (InterruptedRun guard = InterruptedRun.arm("prescale simulate", dir, created, System.err)) {
            results = Experiment.run(setup, arms, nWorkers, progress);
        } catch (RuntimeException e) {
            InterruptedRun.tidy(dir, created);
            throw e;
        }
        progress.finish();
        // the charts and time series of a many-model run take seconds: say what the pause is
        System.err.println("Writing summary, time series, charts and report to " + dir + " ...");

        long requests = results.isEmpty() ? 0 : results.get(0).totals().requests();
        String citation = source.manifest().map(m -> m.title() + "; " + m.citation() + "; licence: " + m.licence()).orElse(source.description());
        Summary.TraceInfo info = new Summary.TraceInfo(source.id(), source.sha256(), requests, specs.size(),
                w.at(fromS).toString(), w.at(toS).toString(), w.skippedRows(), unmatched, citation);
        Yaml.json().writeValue(dir.resolve("summary.json").toFile(), Summary.build(info, seed, scale, results));
        writeManifest(dir, source, info, scale, fromS, toS, w, cat, arms, report, nWorkers, forecasters);
        TimeseriesCsv.write(dir.resolve("timeseries.csv"), results, w::at);
        Map<String, ModelSpec> byId = new LinkedHashMap<>();
        for (ModelSpec s : specs) byId.put(s.id(), s);
        Charts.demandVsCapacity(dir.resolve("demand-vs-capacity.png"), results, byId, fromS, report.toNanos() / 1e9);
        Charts.latencyCdf(dir.resolve("latency-cdf.png"), results);
        Charts.costVsSlo(dir.resolve("cost-vs-slo.png"), results);
        Charts.coldStarts(dir.resolve("cold-starts.png"), results);
        String cluster = String.format(Locale.ROOT, "Rate scale %s, seed %d; GPU sharing %s, packer %s%s%s.", scale, seed,
                sharing == null ? "as the catalog says" : sharing, packer, consolidate ? ", consolidation on" : "",
                admission ? ", deadline admission on" : "");
        HtmlReport.write(dir.resolve("report.html"), "Prescale simulation: " + source.id(), info, results,
                charts(), (note.isEmpty() ? "" : note + " ") + cluster);

        System.out.println();
        System.out.printf(Locale.ROOT, "%s: %,d requests, %s (%d on the default spec), %s .. %s, rate scale %s%n",
                source.id(), requests, Plural.count(specs.size(), "model", "models"), unmatched, w.at(fromS), w.at(toS), scale);
        if (w.skippedRows() > 0) System.out.println("skipped malformed rows: " + w.skippedRows());
        ConsoleTable.print(System.out, results);
        // not a broken invariant (a pool at its node limit refuses replicas by design), but a user must see it
        for (RunResult r : results)
            if (r.invariants().unplaceableReplicas() > 0)
                System.out.printf(Locale.ROOT, "%s: %,d replica starts found no room in their pool (at its node limit, or no GPU that holds them)%n",
                        r.policy(), r.invariants().unplaceableReplicas());
        boolean ok = true;
        for (RunResult r : results) {
            if (!r.invariants().hold()) {
                System.out.println("INVARIANT VIOLATED for " + r.policy() + ": " + r.invariants());
                ok = false;
            }
        }
        io.prescale.simulator.report.OutcomesTable.print(System.out, results);
        if (recommendFor != null) {
            String target = recommendFor.isEmpty() ? results.get(0).policy() : recommendFor;
            RunResult base = results.stream().filter(r -> r.policy().equals(target)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--recommend " + target + ": not among --policies"));
            System.err.println("Verifying cost recommendations for " + target + " by re-simulation ...");
            Map<String, Object> params = overrides.getOrDefault(target, Map.of());
            var recs = Recommender.recommend(setup, base, market);
            var outcomes = RecommendationCheck.verify(setup, target, params, base, recs, nWorkers);
            RecommendationReport.print(System.out, target, recs, outcomes);
            RecommendationReport.write(dir.resolve("recommendations.json"), target, recs, outcomes);
            HtmlReport.write(dir.resolve("report.html"), "Prescale simulation: " + source.id(), info, results,
                    charts(), (note.isEmpty() ? "" : note + " ") + cluster, RecommendationReport.html(target, recs, outcomes));
        }
        System.out.println("\nReport: " + dir.resolve("report.html"));
        // every policy sees the same arrivals: none arrived, none was scored, whatever the table says
        String empty = scaled.emptyRunProblem(requests);
        if (empty != null) throw new ConfigException("--rate-scale", empty + " (the run folder is kept: " + dir + ")");
        return ok ? 0 : 3;
    }

    /** The most time-series rows one run writes per policy and model (about 11 days at 1 s, a year at 1 min). */
    static final long MAX_REPORT_ROWS = 1_000_000;

    static Duration autoReportInterval(double seconds) {
        long[] choices = {60, 300, 600, 900, 1800, 3600, 7200, 21600, 86400};
        for (long c : choices) if (seconds / c <= 400) return Duration.ofSeconds(c);
        return Duration.ofDays(1);
    }

    /**
     * Makes the run folder (simulate's, sweep's) before the run, so a folder that cannot be written fails now, not
     * after an hour of simulation; a file in the way is named as such (the message was "cannot create x: x").
     */
    static void makeRunDir(Path dir) {
        checkRunDir(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("--out", "cannot create " + dir + ": " + why(e));
        }
        if (!Files.isWritable(dir)) throw new ConfigException("--out", dir + " is not writable");
    }

    /** What {@link #makeRunDir} refuses without creating anything (sweep --dry-run): a file in the way, a folder that cannot be written. */
    static void checkRunDir(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent())
            if (Files.exists(p) && !Files.isDirectory(p)) throw new ConfigException("--out", "cannot create " + dir + ": " + p + " is a file, not a folder");
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing != null && !Files.isWritable(existing))
            throw new ConfigException("--out", (existing.equals(dir.toAbsolutePath()) ? dir + " is not writable" : "cannot create " + dir + ": " + existing + " is not writable"));
    }

    /**
     * Why a folder could not be made. An AccessDeniedException's message is only the path ("cannot create /proc/x:
     * /proc/x"): its type says what happened.
     */
    static String why(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        if (e instanceof java.nio.file.FileSystemException) return e.getClass().getSimpleName().replaceAll("Exception$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * A new folder {@code runs/<experiment>/<utc>-<gitsha>}, made here: a second run in the same second gets
     * {@code <utc>-<gitsha>-2} ({@link io.prescale.core.config.RunDirs#claim}), not the first one's folder to write into.
     */
    static Path defaultRunDir(Path root, String experiment) {
        return defaultRunDir(root, experiment, Instant.now());
    }

    static Path defaultRunDir(Path root, String experiment, Instant time) {
        Path parent = root.resolve("runs").resolve(experiment);
        checkRunDir(parent); // a file in the way or a folder that cannot be written, said as for --out
        try {
            return io.prescale.core.config.RunDirs.claim(parent, io.prescale.core.config.RunDirs.name(time, System.getProperty("prescale.gitsha", "nogit")));
        } catch (java.io.UncheckedIOException e) {
            throw new ConfigException("--out", "cannot create a run folder under " + parent + ": " + why(e.getCause()));
        }
    }

    /** The report's charts, in the order they appear. */
    private static Map<String, String> charts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("demand-vs-capacity.png", "Demand and provisioned capacity");
        m.put("latency-cdf.png", "Latency CDF");
        m.put("cost-vs-slo.png", "GPU-hours vs SLO attainment");
        m.put("cold-starts.png", "Cold starts vs idle GPU memory");
        return m;
    }

    private void writeManifest(Path dir, TraceSource source, Summary.TraceInfo info, double scale, double fromS, double toS,
                               Workload w, ModelCatalog cat, List<Experiment.Arm> arms, Duration report, int nWorkers,
                               ForecasterChoice forecasters) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", "prescale.manifest/v1");
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("trace", source.id());
        cfg.put("format", source.format().id());
        cfg.put("files", source.files().stream().map(p -> p.getFileName().toString()).toList());
        cfg.put("from", w.at(fromS).toString());
        cfg.put("to", w.at(toS).toString());
        cfg.put("rateScale", scale);
        cfg.put("warmup", warmup);
        cfg.put("seed", seed);
        cfg.put("forecaster", forecasters.toString());
        cfg.put("reportInterval", Durations.format(report));
        cfg.put("catalog", cat.name());
        cfg.put("skipBadRows", skipBadRows);
        cfg.put("replicaMtbfHours", mtbfHours);
        List<Map<String, Object>> ps = new ArrayList<>();
        for (Experiment.Arm a : arms) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("policy", a.policy());
            x.put("params", PolicyCatalog.defaultsMerged(a.policy(), a.params()));
            ps.add(x);
        }
        cfg.put("policies", ps);
        cfg.put("sharing", sharing == null ? "as catalog" : sharing);
        cfg.put("packer", packer);
        cfg.put("consolidate", consolidate);
        cfg.put("admission", admission);
        cfg.put("pools", cat.pools().values());
        m.put("config", cfg);
        m.put("trace", info);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("prescale", System.getProperty("prescale.version", "0.1.0-SNAPSHOT"));
        v.put("gitSha", System.getProperty("prescale.gitsha", "nogit"));
        v.put("java", System.getProperty("java.version"));
        v.put("workers", nWorkers);
        m.put("versions", v);
        Yaml.json().writeValue(dir.resolve("manifest.json").toFile(), m);
    }
}
