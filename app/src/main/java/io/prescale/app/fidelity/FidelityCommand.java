package io.prescale.app.fidelity;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.core.config.PolicyFile;
import io.prescale.core.model.ModelSpec;
import io.prescale.datasets.SharedTraces;
import io.prescale.datasets.TraceSource;
import io.prescale.live.registry.ModelRegistration;
import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.metrics.RunResult;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code prescale fidelity}: the same trace slice served live (the runner in this JVM, real ONNX Runtime
 * sessions, requests over loopback HTTP) and simulated (the simulator with the live model's measured profile),
 * under the same policy on the same time-compressed timeline; prints and writes both sides' latency
 * percentiles, replica-hours, served and rejected requests, and the relative errors.
 */
@Command(name = "fidelity", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run one trace slice live and in the simulator; report the simulator's error.",
                "prescale fidelity --trace azure-llm --window 1h --speed 60   (about 80 s; the bundled tiny MLP needs no download)"})
public final class FidelityCommand implements Callable<Integer> {
    /** Seconds of load before measuring (the JIT warms up), then of load measured: the HTTP overhead and the service under load. */
    double warmupSeconds = 5, calibrationSeconds = 5; // not options; a test shortens them
    static final String BUNDLED_MODEL = "/io/prescale/app/fidelity/mlp.onnx";

    @Option(names = "--trace", required = true, paramLabel = "NAME|FORMAT:PATH", description = "shared trace name or FORMAT:PATH")
    String trace;

    @Option(names = {"--window", "--duration"}, paramLabel = "DURATION", defaultValue = "1h", description = "trace time replayed (default ${DEFAULT-VALUE}; --duration as replay names it)")
    String window;

    @Option(names = "--from", paramLabel = "DURATION", defaultValue = "0s", description = "offset of the window from the trace start (default ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "60", description = "time compression: trace seconds per wall second (default ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--model", paramLabel = "FILE.onnx", description = "ONNX model to serve (default: a bundled 16-wide MLP, 1 KB)")
    Path model;

    @Option(names = "--input", paramLabel = "NAME=D1,D2[@VALUE]", description = "name=d1,d2[@value]: one request's input shape/value (as for replay/profile); repeatable")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--map", paramLabel = "TRACE=SERVED", split = "\\s*,\\s*", splitSynopsisLabel = ",", description = "trace-model=served-model (repeatable; '*' matches every other trace model). "
            + "Default: one served model per trace model (at most 4)")
    Map<String, String> map = new LinkedHashMap<>();

    @Option(names = "--policy", defaultValue = "reactive.hpa", paramLabel = "ID|FILE", description = "policy id or policy file (winner.yaml) (default ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--max-replicas", paramLabel = "N", defaultValue = "4", description = "per served model (default ${DEFAULT-VALUE})")
    int maxReplicas;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "1", description = "dynamic batching limit per served model (default ${DEFAULT-VALUE})")
    int maxBatch;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "intra-op threads per replica (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--slo", paramLabel = "DURATION", defaultValue = "200ms", description = "latency SLO of the served models (default ${DEFAULT-VALUE})")
    String slo;

    @Option(names = "--overhead", paramLabel = "MODE", defaultValue = "aligned", description = "where the measured HTTP overhead goes in the simulator: "
            + "aligned (added quantile by quantile to the simulated latencies: the two rise together in bursts), outside (added as an "
            + "independent draw to each simulated latency), base (into the profile's base term, so also replica busy time), none "
            + "(default ${DEFAULT-VALUE})")
    String overhead;

    @Option(names = "--service", paramLabel = "MODE", defaultValue = "loaded", description = "the simulator's service time: loaded (the profile scaled by "
            + "the replica run time measured live at the replay's mean rate, which carries the host's CPU contention, each request varying "
            + "with the run times' measured coefficient of variation), profiled (the isolated profile, constant) (default ${DEFAULT-VALUE})")
    String service;

    // many: with few, a queue on one model holds every connection and the other models' requests wait behind it
    // in the sender (head-of-line blocking no real population of clients has)
    @Option(names = "--connections", paramLabel = "N", defaultValue = "256", description = "client keep-alive connections (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--max-requests", paramLabel = "N", defaultValue = "200000", description = "refuse windows with more requests (default ${DEFAULT-VALUE})")
    long maxRequests;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed for the arrivals drawn in each trace interval, the calibration and the simulated run (default ${DEFAULT-VALUE})") long seed;

    @Option(names = "--data", paramLabel = "DIR", description = "shared data folder (default: $PRESCALE_DATA or ../shared/datasets)")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default runs/fidelity/<utc>-<gitsha>/)")
    Path out;

    @Override
    public Integer call() throws Exception {
        validate();
        PolicyFile pol = policyFile();
        Path root = io.prescale.core.config.ProjectHome.root();
        TraceSource source = SharedTraces.resolve(trace, SharedTraces.findDataDir(Optional.ofNullable(data), root));
        Duration win = Durations.parseOption("--window", window), skip = Durations.parseOption("--from", from);
        ArrivalPlan plan = ArrivalPlan.read(source, skip, win, speed, seed, new ModelMapping(map, 4), maxRequests);
        Path dir = out != null ? Files.createDirectories(out) : defaultRunDir(root, Instant.now());
        System.err.printf(Locale.ROOT, "fidelity: %s, %s from +%s at %.0fx: %d requests over %.1f s, served models %s, policy %s%n",
                source.id(), window, from, speed, plan.arrivals().size(), plan.wallSeconds(), plan.servedModels(), pol.policy());

        Path tmp = Files.createTempDirectory("prescale-fidelity");
        try {
            return run(source, plan, pol, dir, tmp);
        } finally {
            deleteTree(tmp);
        }
    }

    private int run(TraceSource source, ArrivalPlan plan, PolicyFile pol, Path dir, Path tmp) throws Exception {
        Path store = Files.createDirectories(tmp.resolve("model-store"));
        String file = model != null ? model.getFileName().toString() : "mlp.onnx";
        if (model != null) {
            if (!Files.isRegularFile(model)) throw new ConfigException("--model", "no such file: " + model);
            Files.copy(model, store.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        } else {
            try (InputStream in = FidelityCommand.class.getResourceAsStream(BUNDLED_MODEL)) {
                if (in == null) throw new IllegalStateException("bundled model " + BUNDLED_MODEL + " missing from the build");
                Files.copy(in, store.resolve(file));
            }
        }
        System.err.println("fidelity: profiling " + file + " ...");
        MeasuredProfile profile = MeasuredProfile.measure(store, file, threads, maxBatch, inputs, dir.resolve("profile.yaml"));

        Map<String, ModelRegistration> regs = new LinkedHashMap<>();
        LiveSide.Result live;
        double overheadS, idleOverheadS, loadedServiceS, replayServiceS, serviceCv;
        LiveSide.Sent calibration;
        try (LiveSide side = new LiveSide(Files.createDirectories(tmp.resolve("state")), store)) {
            Map<String, byte[]> bodies = new LinkedHashMap<>();
            for (String m : plan.servedModels()) {
                ModelRegistration reg = new ModelRegistration(m, file, new ModelRegistration.Resources(threads, 0L, 0),
                        new ModelRegistration.Batching(maxBatch, Duration.ofMillis(2), 256),
                        new ModelRegistration.SloSpec(Durations.parseOption("--slo", slo), 0.99), Duration.ofSeconds(10), "normal", 1, maxReplicas);
                side.register(reg);
                regs.put(m, reg);
                bodies.put(m, side.body(m, inputs));
            }
            String first = plan.servedModels().get(0);
            idleOverheadS = side.httpOverheadSeconds(bodies.get(first), 400, profile.batchSeconds(1));
            double rate = plan.arrivals().size() / plan.wallSeconds();
            // the first seconds of load run on a cold JIT and would overstate the HTTP path: warm up, then measure
            side.calibrate(plan, bodies, rate, warmupSeconds, connections, seed + 1);
            double[] runs0 = side.singleRunTotals(plan.servedModels());
            calibration = side.calibrate(plan, bodies, rate, calibrationSeconds, connections, seed);
            double[] runs1 = side.singleRunTotals(plan.servedModels());
            // the replica's own run time under the replay's load: the profile ran alone, the replay shares the cores with HTTP and the sender
            loadedServiceS = meanRunBetween(runs0, runs1, 50, profile.batchSeconds(1));
            serviceCv = runCvBetween(runs0, runs1, 50);
            // what HTTP adds: each answer's client latency minus the server's own time with it (Server-Timing)
            overheadS = calibration.overhead().getValueAtPercentile(50) / 1e6;
            System.err.printf(Locale.ROOT, "fidelity: service %.4f ms (batch 1) alone, %.4f ms under load (CV %.2f), load %.3f s, HTTP overhead %.4f ms idle, "
                    + "%.4f ms median at %.0f req/s; replaying live ...%n", profile.batchSeconds(1) * 1000, loadedServiceS * 1000, serviceCv, profile.loadSeconds(),
                    idleOverheadS * 1000, overheadS * 1000, rate);
            double[] replay0 = side.singleRunTotals(plan.servedModels());
            live = side.replay(plan, bodies, pol, connections);
            double[] replay1 = side.singleRunTotals(plan.servedModels());
            replayServiceS = meanRunBetween(replay0, replay1, 1, Double.NaN);
        }

        System.err.println("fidelity: simulating ...");
        Map<String, RunResult> sims = new LinkedHashMap<>();
        double stretch = service.equals("loaded") ? loadedServiceS / profile.batchSeconds(1) : 1.0;
        double cv = service.equals("loaded") ? serviceCv : 0;
        sims.put("none", SimSide.run(plan, specs(regs, profile, stretch, 0), threads, pol, seed, cv));
        sims.put("base", SimSide.run(plan, specs(regs, profile, stretch, overheadS), threads, pol, seed, cv));

        FidelityReport.Side liveSide = liveSide(live);
        Map<String, FidelityReport.Side> simSides = new LinkedHashMap<>();
        simSides.put("none", simSide(sims.get("none"), 0));
        OverheadConvolution.Result conv = OverheadConvolution.of(sims.get("none").latencyCdf(), calibration.overhead(), 0,
                200_000, seed);
        RunResult.Totals t0 = sims.get("none").totals();
        simSides.put("outside", withOverhead(t0, conv));
        simSides.put("base", simSide(sims.get("base"), 0));
        OverheadConvolution.Result al = OverheadConvolution.aligned(sims.get("none").latencyCdf(), calibration.overhead());
        simSides.put("aligned", withOverhead(t0, al));
        FidelityReport.Side sim = simSides.get(overhead);
        String label = "simulator (" + overhead + ")";
        String table = FidelityReport.table(liveSide, sim, label);
        List<String> notes = notes(live, liveSide, sim, profile, overheadS, loadedServiceS, stretch, cv);
        // the simulator's own model (queue + batching + service) against the runner's own time with each request:
        // the same comparison without HTTP on either side
        Histogram server = live.serverMicros();
        FidelityReport.Side noneSide = simSides.get("none");
        Map<String, Object> serverSide = new LinkedHashMap<>();
        serverSide.put("liveP50Ms", ms(server, 50));
        serverSide.put("liveP95Ms", ms(server, 95));
        serverSide.put("simP50Ms", noneSide.p50Ms());
        serverSide.put("simP95Ms", noneSide.p95Ms());
        serverSide.put("p50Error", noneSide.p50Ms() / ms(server, 50) - 1);
        serverSide.put("p95Error", noneSide.p95Ms() / ms(server, 95) - 1);
        notes.add(String.format(Locale.ROOT, "Server side only (the runner's Server-Timing against the simulator without HTTP): p50 %.3f live vs "
                + "%.3f ms simulated (%+.1f %%), p95 %.3f vs %.3f ms (%+.1f %%).", ms(server, 50), noneSide.p50Ms(),
                100 * (double) serverSide.get("p50Error"), ms(server, 95), noneSide.p95Ms(), 100 * (double) serverSide.get("p95Error")));
        // diagnostic, not a prediction: the simulator given the run time the replicas actually had during the replay
        // separates "is its queueing model right" from "was the service time measured right beforehand"
        if (Double.isFinite(replayServiceS) && replayServiceS > 0) {
            RunResult hindsight = SimSide.run(plan, specs(regs, profile, replayServiceS / profile.batchSeconds(1), 0), threads, pol, seed, cv);
            RunResult.Totals h = hindsight.totals();
            serverSide.put("simWithReplayServiceP50Ms", h.p50Ms());
            serverSide.put("simWithReplayServiceP95Ms", h.p95Ms());
            notes.add(String.format(Locale.ROOT, "In hindsight (a diagnostic: the simulator given the %.4f ms the replicas took per run during "
                    + "the replay): server-side p50 %.3f ms (%+.1f %%), p95 %.3f ms (%+.1f %%).", replayServiceS * 1000, h.p50Ms(),
                    100 * (h.p50Ms() / ms(server, 50) - 1), h.p95Ms(), 100 * (h.p95Ms() / ms(server, 95) - 1)));
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schema", "prescale.fidelity/v1");
        json.put("trace", source.id());
        json.put("from", from);
        json.put("window", window);
        json.put("speed", speed);
        json.put("seed", seed);
        json.put("wallSeconds", plan.wallSeconds());
        json.put("model", model != null ? model.toString() : "bundled mlp.onnx (x: float32 [N,16] -> relu(xW+b))");
        json.put("servedModels", plan.servedModels());
        json.put("traceModels", plan.perTraceModel());
        json.put("policy", Map.of("policy", pol.policy(), "params", PolicyCatalog.defaultsMerged(pol.policy(), pol.params())));
        Map<String, Object> prof = new LinkedHashMap<>();
        prof.put("baseMs", profile.baseSeconds() * 1000);
        prof.put("perItemMs", profile.perItemSeconds() * 1000);
        prof.put("loadSeconds", profile.loadSeconds());
        prof.put("maxBatch", maxBatch);
        prof.put("threads", threads);
        prof.put("device", profile.device());
        prof.put("serviceUnderLoadMs", loadedServiceS * 1000);
        prof.put("service", service);
        prof.put("serviceStretch", stretch);
        prof.put("serviceCv", cv); // run-to-run variation given to the simulator (measured under load; 0 when profiled)
        prof.put("serviceDuringReplayMs", replayServiceS * 1000); // measured after the fact: a diagnostic, not an input
        prof.put("httpOverheadMs", overheadS * 1000);
        prof.put("httpOverheadIdleMs", idleOverheadS * 1000);
        prof.put("calibrationSeconds", calibrationSeconds);
        prof.put("calibrationRequests", calibration.latency().getTotalCount());
        prof.put("calibrationP50Ms", calibration.latency().getValueAtPercentile(50) / 1000.0);
        prof.put("calibrationP99Ms", calibration.latency().getValueAtPercentile(99) / 1000.0);
        prof.put("httpOverheadP99Ms", calibration.overhead().getValueAtPercentile(99) / 1000.0);
        json.put("profile", prof);
        json.put("overhead", overhead);
        Map<String, Object> liveJson = FidelityReport.side(liveSide);
        liveJson.put("replicaHoursReady", live.replicaSecondsReady() / 3600);
        liveJson.put("peakReplicas", live.peakReplicas());
        liveJson.put("wallSeconds", live.wallSeconds());
        json.put("live", liveJson);
        json.put("sim", FidelityReport.side(sim));
        json.put("errors", FidelityReport.errors(liveSide, sim));
        json.put("serverSide", serverSide);
        json.put("bars", Map.of("p50AndP95", FidelityReport.LATENCY_BAR, "replicaHours", FidelityReport.REPLICA_HOURS_BAR));
        Map<String, Object> variants = new LinkedHashMap<>();
        for (var e : simSides.entrySet()) {
            Map<String, Object> v = FidelityReport.side(e.getValue());
            v.put("errors", FidelityReport.errors(liveSide, e.getValue()));
            variants.put(e.getKey(), v);
        }
        json.put("simVariants", variants);
        json.put("notes", notes);
        FidelityReport.writeJson(dir.resolve("fidelity.json"), json);
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        curves.put("live runner (client-side, HTTP)", liveSide.cdf());
        curves.put(label, sim.cdf());
        if (!overhead.equals("none")) curves.put("simulator (profile only)", simSides.get("none").cdf());
        FidelityReport.writeChart(dir.resolve("latency-cdf.png"), curves);
        String title = String.format(Locale.ROOT, "Prescale fidelity: %s, %s from +%s at %.0fx, %s", source.id(), window, from, speed, pol.policy());
        FidelityReport.writeHtml(dir.resolve("report.html"), title, table, notes);

        System.out.println(title);
        System.out.print(table);
        notes.forEach(n -> System.out.println("- " + n));
        System.out.println("Report: " + dir.resolve("report.html"));
        return 0;
    }

    /**
     * {@code runs/fidelity/<utc>-<gitsha>}, claimed by creating it: two runs started in one second got one folder and
     * wrote their reports over each other's; the second now gets {@code -2} ({@link io.prescale.core.config.RunDirs#claim}).
     */
    static Path defaultRunDir(Path root, Instant time) {
        return io.prescale.core.config.RunDirs.claim(root.resolve("runs").resolve("fidelity"),
                io.prescale.core.config.RunDirs.name(time, System.getProperty("prescale.gitsha", "nogit")));
    }

    /** Coefficient of variation of the run times between two {count, seconds, squared seconds} readings; 0 below {@code minRuns} runs. */
    static double runCvBetween(double[] before, double[] after, int minRuns) {
        double runs = after[0] - before[0];
        if (runs < minRuns) return 0;
        double mean = (after[1] - before[1]) / runs, meanSq = (after[2] - before[2]) / runs;
        return mean > 0 ? Math.sqrt(Math.max(0, meanSq - mean * mean)) / mean : 0;
    }

    /** Mean seconds per run between two {count, seconds} readings; {@code fallback} below {@code minRuns} runs. */
    static double meanRunBetween(double[] before, double[] after, int minRuns, double fallback) {
        double runs = after[0] - before[0];
        return runs >= minRuns ? (after[1] - before[1]) / runs : fallback;
    }

    private Map<String, ModelSpec> specs(Map<String, ModelRegistration> regs, MeasuredProfile p, double stretch, double extraBase) {
        Map<String, ModelSpec> out = new LinkedHashMap<>();
        regs.forEach((m, r) -> out.put(m, SimSide.spec(m, r, p.stretched(stretch), extraBase)));
        return out;
    }

    private static FidelityReport.Side liveSide(LiveSide.Result r) {
        Histogram h = r.latencyMicros();
        List<double[]> cdf = new ArrayList<>();
        if (h.getTotalCount() > 0) for (double q : OverheadConvolution.CDF_QUANTILES) cdf.add(new double[]{h.getValueAtPercentile(q * 100) / 1000.0, q});
        return new FidelityReport.Side(r.sent(), r.ok(), r.rejected(), r.timedOut(), r.otherErrors(), ms(h, 50), ms(h, 95), ms(h, 99),
                r.replicaSecondsHeld() / 3600, cdf);
    }


    private static double ms(Histogram h, double pct) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(pct) / 1000.0;
    }

    /** The simulator's counts and bill with latencies that include the HTTP overhead. */
    private static FidelityReport.Side withOverhead(RunResult.Totals t, OverheadConvolution.Result r) {
        return new FidelityReport.Side(t.requests(), t.served(), t.dropped(), t.timedOut(), 0, r.p50Ms(), r.p95Ms(), r.p99Ms(), t.costUsd(), r.cdf());
    }

    /** The simulator's figures, every latency shifted by {@code shiftMs} (a constant shift moves each quantile by it). */
    private static FidelityReport.Side simSide(RunResult r, double shiftMs) {
        RunResult.Totals t = r.totals();
        List<double[]> cdf = new ArrayList<>();
        for (double[] p : r.latencyCdf()) cdf.add(new double[]{p[0] + shiftMs, p[1]});
        return new FidelityReport.Side(t.requests(), t.served(), t.dropped(), t.timedOut(), 0, t.p50Ms() + shiftMs, t.p95Ms() + shiftMs,
                t.p99Ms() + shiftMs, t.costUsd(), cdf); // the pool is priced 1 per node-hour, one node per replica
    }

    private List<String> notes(LiveSide.Result live, FidelityReport.Side l, FidelityReport.Side s, MeasuredProfile p, double overheadS,
                               double loadedServiceS, double stretch, double cv) {
        List<String> n = new ArrayList<>();
        n.add(String.format(Locale.ROOT, "Service time: %.4f ms per single request when profiled alone, %.4f ms per run inside the runner at the "
                + "replay's mean rate (%s); the simulator's profile is scaled by %.3f, and each simulated request's service varies with "
                + "coefficient of variation %.2f (lognormal; --service %s).", p.batchSeconds(1) * 1000,
                loadedServiceS * 1000, "HTTP threads, the sender and the replicas share " + Runtime.getRuntime().availableProcessors() + " cores",
                stretch, cv, service));
        n.add(String.format(Locale.ROOT, "Live latency is client-side over loopback HTTP from each request's due time; the simulator's is queue + "
                + "service from the profile (%.4f ms per batch of one). The HTTP path (JSON, Jetty, hand-off to the replica thread) is calibrated "
                + "live before the replay: %.0f s of Poisson arrivals at the replay's mean rate, in its model mix, no policy active: each "
                + "answer's client latency minus the runner's own time with it (its Server-Timing header: queue, batching, run), median %.4f ms. --overhead aligned (default) adds it quantile by quantile (the simulator's p95 plus the "
                + "overhead's p95: in a burst both are high); outside adds it as an independent draw to each simulated latency; base puts its median into the profile's base term (it then also counts as replica busy time, which "
                + "the live runner does not); none leaves it out.", p.batchSeconds(1) * 1000, calibrationSeconds, overheadS * 1000));
        if (l.p99Ms() > 3 * l.p50Ms())
            n.add("The live tail is long: the load generator, Jetty threads and the replicas share "
                    + Runtime.getRuntime().availableProcessors() + " cores, and GC and scheduling pauses hit every in-flight request at once; "
                    + "the simulator models none of that contention.");
        n.add(String.format(Locale.ROOT, "Replica-hours: live integrates replicas held (ready + loading) sampled every 10 ms (%.6f h; ready only, "
                + "from the runner's own accounting: %.6f h); the simulator bills each replica from placement to release.",
                l.replicaHours(), live.replicaSecondsReady() / 3600));
        n.add("Both sides use the same policy and the same control interval on the compressed timeline; the live loop ticks on the "
                + "system clock from activation, the simulator from the window start, so their decisions can fall up to one tick apart.");
        if (live.otherErrors() > 0) n.add("Live requests that failed otherwise (connection errors, 5xx other than 504): " + live.otherErrors());
        return n;
    }

    private void validate() {
        if (!(speed > 0) || Double.isInfinite(speed)) throw new ConfigException("--speed", "must be a finite number > 0");
        if (maxReplicas < 1 || maxReplicas > 64) throw new ConfigException("--max-replicas", "must be in [1, 64]");
        if (maxBatch < 1) throw new ConfigException("--max-batch", "must be >= 1");
        if (threads < 1) throw new ConfigException("--threads", "must be >= 1");
        if (connections < 1 || connections > 1024) throw new ConfigException("--connections", "must be in [1, 1024]");
        if (!List.of("aligned", "outside", "base", "none").contains(overhead))
            throw new ConfigException("--overhead", "one of aligned, outside, base, none");
        if (!List.of("loaded", "profiled").contains(service)) throw new ConfigException("--service", "one of loaded, profiled");
        Durations.parseOption("--window", window);
        Durations.parseOption("--from", from);
        Durations.parseOption("--slo", slo);
    }

    private PolicyFile policyFile() {
        Path p = Path.of(policy);
        if (policy.endsWith(".yaml") || policy.endsWith(".yml") || policy.endsWith(".json") || Files.isRegularFile(p)) {
            if (!Files.isRegularFile(p)) throw new ConfigException("--policy", "no such file: " + policy);
            return PolicyFile.read(p);
        }
        try {
            PolicyCatalog.entry(policy); // an unknown id: "did you mean", and the known ones, as simulate --policies says it
        } catch (ConfigException e) {
            throw new ConfigException("--policy", e.reason());
        }
        return new PolicyFile(null, "fidelity", policy, Map.of(), null);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
