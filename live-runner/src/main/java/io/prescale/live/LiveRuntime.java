package io.prescale.live;

import io.prescale.core.config.PolicyFile;
import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.live.loop.ControlLoop;
import io.prescale.live.loop.LiveCluster;
import io.prescale.live.loop.PolicyFactory;
import io.prescale.live.metrics.LiveMetrics;
import io.prescale.live.registry.ModelRegistry;
import io.prescale.live.registry.ModelStore;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.state.DemandHistory;
import io.prescale.live.state.PolicyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Everything behind the HTTP API, wired once: model store and registry, metrics, policy store, the control
 * loop over the live cluster, and the per-minute demand history. {@link #open} restores what a previous run
 * (or one killed with {@code kill -9}) left in the state folder: models are loaded and warmed again, the
 * active policy resumes.
 */
public final class LiveRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveRuntime.class);

    /**
     * @param pricePerCoreHour USD per CPU core-hour; a replica is charged for its intra-op threads
     * @param maxModels        models the registry takes at most (each holds a session, a worker and its meters)
     * @param maxPolicies      policies the policy store keeps at most ({@code GET /policies} reads every one)
     */
    public record Options(Path stateDir, Path modelStore, double pricePerCoreHour, PolicyFactory policies,
                          Function<String, Forecaster> forecasters, InstantSource clock, int maxModels, int maxPolicies,
                          io.prescale.live.registry.LocalPool.Capacity capacity) {
        public static final int DEFAULT_MAX_MODELS = 100;
        public static final int DEFAULT_MAX_POLICIES = 100;

        /**
         * Where the HTTP server spools the parts of uploads being received: in the state folder, which one runner holds
         * at a time, so a start removes what a killed run left there (the system's temp folder kept it for good).
         */
        public Path uploadsReceiving() {
            return stateDir.toAbsolutePath().resolve("uploads-receiving");
        }

        /** The pool: this machine's cores, no GPU ({@link io.prescale.live.registry.LocalPool.Capacity#local}). */
        public Options(Path stateDir, Path modelStore, double pricePerCoreHour, PolicyFactory policies,
                       Function<String, Forecaster> forecasters, InstantSource clock, int maxModels, int maxPolicies) {
            this(stateDir, modelStore, pricePerCoreHour, policies, forecasters, clock, maxModels, maxPolicies,
                    io.prescale.live.registry.LocalPool.Capacity.local());
        }

        public Options(Path stateDir, Path modelStore, double pricePerCoreHour, PolicyFactory policies,
                       Function<String, Forecaster> forecasters, InstantSource clock, int maxModels) {
            this(stateDir, modelStore, pricePerCoreHour, policies, forecasters, clock, maxModels, DEFAULT_MAX_POLICIES);
        }

        public Options(Path stateDir, Path modelStore, double pricePerCoreHour, PolicyFactory policies,
                       Function<String, Forecaster> forecasters, InstantSource clock) {
            this(stateDir, modelStore, pricePerCoreHour, policies, forecasters, clock, DEFAULT_MAX_MODELS);
        }
    }

    private final Options options;
    private final ExecutorService loader;
    private final LiveMetrics metrics = new LiveMetrics();
    private final ModelRegistry registry;
    private final PolicyStore policyStore;
    private final LiveCluster cluster;
    private final ControlLoop control;
    private final DemandHistory history;
    private final io.prescale.live.state.PendingUploads pendingUploads;
    private final Object policyChanges = new Object();
    private ScheduledExecutorService scheduler;
    private List<String> restoreProblems = List.of();
    /** When this runtime started counting: its first minute is partly seen unless it started on the minute. */
    private final Instant started;
    /** Held while the history is written (by the timer, and by a stop). */
    private final Object historyLock = new Object();
    /** The last minute the history recorded (null: none yet); guarded by historyLock. */
    private Instant lastRecorded;
    /** Whether the timer found the clock behind the last minute recorded (said once); guarded by historyLock. */
    private boolean clockBehind;

    private LiveRuntime(Options o) {
        this.options = o;
        this.loader = Executors.newFixedThreadPool(2, io.prescale.live.onnx.NativeThreads.factory("replica-loader"));
        this.registry = new ModelRegistry(o.stateDir(), new ModelStore(o.modelStore()), metrics, loader, o.pricePerCoreHour(), o.maxModels(),
                o.capacity());
        this.policyStore = new PolicyStore(o.stateDir(), o.maxPolicies());
        this.cluster = new LiveCluster(registry, LiveCluster.localCpuPool(o.pricePerCoreHour(), o.capacity().cpuThreads()), Duration.ofSeconds(15));
        metrics.pool(registry.pool());
        cluster.onScaleUpCut(metrics::scaleUpCut);
        CostModel cost = new CostModel(Map.of(ModelServer.POOL, cluster.pool().pricePerHour()), 0);
        this.control = new ControlLoop(cluster, registry, o.policies(), o.forecasters(), o.clock(), cost, o.stateDir().resolve("decisions.jsonl"),
                o.stateDir().resolve("history"));
        control.onDecisionApplied(metrics::decisionApplied);
        control.onActivated(() -> cluster.startInterval(o.clock().instant()));
        registry.onRemoved(name -> {
            control.forget(name);
            cluster.forget(name);
        });
        this.history = new DemandHistory(o.stateDir());
        this.started = o.clock().instant();
        this.pendingUploads = new io.prescale.live.state.PendingUploads(o.stateDir());
    }

    /** Opens the state folder: restores models and the active policy. Does not start any timer. */
    public static LiveRuntime open(Options o) {
        LiveRuntime rt = new LiveRuntime(o);
        try {
            return rt.restore();
        } catch (RuntimeException | Error e) {
            // the models restored so far hold sessions and worker threads, and the loaders are threads of their own
            rt.close();
            throw e;
        }
    }

    private LiveRuntime restore() {
        Options o = options;
        LiveRuntime rt = this;
        // what a crash left mid-write (an upload's can be hundreds of MB): never read, and never removed otherwise
        int leftovers = 0;
        for (Path d : List.of(o.stateDir(), o.stateDir().resolve("models"), o.stateDir().resolve("policies"), rt.pendingUploads.dir()))
            leftovers += io.prescale.live.state.DurableFiles.removeLeftovers(d); // this runner's own: --state is locked
        // the model store may be another runner's too: an upload written to within the hour may be in flight there
        // (file times are the file system's, so this reads the system clock, not the runtime's)
        leftovers += io.prescale.live.state.DurableFiles.removeLeftovers(rt.registry.store().root().resolve("uploads"),
                Instant.now().minus(Duration.ofHours(1)));
        // the parts of uploads being received when the runner died (Jetty spools them here, not to the system's temp)
        leftovers += io.prescale.live.state.DurableFiles.removeFiles(o.uploadsReceiving());
        if (leftovers > 0) LOG.info("removed {} temporary file(s) a crash left mid-write", leftovers);
        int torn = rt.history.dropTornLines(); // a row a crash cut short: Spark would read what is left of it as a row
        if (torn > 0) LOG.info("demand history: the last line of {} file(s), cut short by a crash, removed", torn);
        int upgraded = rt.history.upgradeFiles(); // one header for every file, as Spark reads them
        if (upgraded > 0) LOG.info("demand history: {} file(s) given the observed column (their rows: whole minutes)", upgraded);
        rt.restoreProblems = rt.registry.restore();
        // models registered before registrations were recorded own their rows: recorded once, so a successor with another file does not
        for (ModelServer s : rt.registry.all()) if (!rt.history.knowsRegistration(s.name())) rt.recordRegistration(s);
        rt.finishPendingUploads();
        rt.policyStore.active().ifPresent(name -> {
            try {
                rt.policyStore.get(name).ifPresentOrElse(rt.control::activate, () -> LOG.warn("active policy '{}' has no file; none active", name));
            } catch (RuntimeException e) { // one that no longer builds, or whose stored file cannot be read (named)
                LOG.warn("active policy '{}' could not be restored: {}", name, e.getMessage());
            }
        });
        for (ModelServer s : rt.registry.all()) rt.control.applyScaleFromZeroRule(s);
        return rt;
    }

    /** Removes the uploads a crash left mid-registration or mid-removal that no registration reads. */
    private void finishPendingUploads() {
        for (String name : pendingUploads.pending()) {
            if (!registry.mayRead("uploads/" + name + ".onnx")) { // by any registration, served or only on file
                registry.store().deleteUpload(name);
                LOG.info("removed the upload of '{}': a crash interrupted its registration or removal", name);
            }
            pendingUploads.end(name);
        }
    }

    /** Starts the system-clock timers: control ticks and the per-minute history. */
    public synchronized void startTimers() {
        if (scheduler != null) return;
        java.util.concurrent.ScheduledThreadPoolExecutor timers = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "control-loop");
            t.setDaemon(true);
            return t;
        });
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // the next minute's run is not waited for at a stop
        scheduler = timers;
        cluster.startInterval(options.clock().instant());
        control.startTicking(scheduler);
        scheduler.scheduleAtFixedRate(() -> {
            try {
                expireOverdue();
            } catch (RuntimeException | Error e) { // an escaping exception would cancel the sweep for good
                LOG.warn("deadline sweep: {}", e.toString());
            }
        }, 250, 250, TimeUnit.MILLISECONDS);
        scheduleHistory(scheduler);
    }

    /**
     * The per-minute history's next run, 50 ms past the next minute of the clock, each run scheduled from the clock anew:
     * a fixed 60 s rate keeps the phase of the first run on the JVM's monotonic time, which drifts from the clock (a
     * clock step, a suspended machine), and a run that drifted before its minute's end labelled every row a minute early.
     */
    private void scheduleHistory(ScheduledExecutorService on) {
        Instant now = options.clock().instant();
        long delay = Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES)).toMillis() + 50;
        try {
            on.schedule(() -> {
                try {
                    recordDue(options.clock().instant());
                } catch (RuntimeException | Error e) { // as the sweep: one escaping would end the history for good
                    LOG.warn("demand history: {}", e.toString());
                } finally {
                    scheduleHistory(on);
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the runtime is closing: its stop records what is left
        }
    }

    /**
     * The per-minute timer's step at {@code now}: records the minute that ended last, unless it is on file already (a run
     * before its minute's end, or the clock set back: a row for a minute already recorded, or one back in time, would
     * count those arrivals twice over in its minute); what was counted meanwhile goes into the next minute recorded.
     */
    public void recordDue(Instant now) {
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES).minus(1, ChronoUnit.MINUTES);
        synchronized (historyLock) {
            if (lastRecorded != null && !minute.isAfter(lastRecorded)) {
                if (minute.isBefore(lastRecorded) && !clockBehind) LOG.warn("demand history: the clock reads {}, before the minute {} already "
                        + "recorded; nothing is recorded until it is past it", now, lastRecorded);
                clockBehind = minute.isBefore(lastRecorded);
                return;
            }
            clockBehind = false;
            record(minute, true);
        }
    }

    /**
     * Appends the minute starting at {@code minute} for every model, as the per-minute timer does once it has ended. The
     * minute this runtime started in is marked {@code tail} (what a process before it counted of it is on file as its
     * {@code head} after a graceful stop, and lost after a kill).
     */
    public void recordHistory(Instant minute) {
        synchronized (historyLock) {
            record(minute, true);
        }
    }

    private void record(Instant minute, boolean toMinuteEnd) {
        DemandHistory.Observed observed = DemandHistory.Observed.of(!started.isAfter(minute), toMinuteEnd);
        for (ModelServer s : registry.all()) {
            history.record(s.name(), s, minute, new DemandHistory.Totals(s.totalArrivals(), s.totalCompleted(), s.totalDropped(),
                    s.totalTimedOut(), s.totalLatencyMicros()), observed);
        }
        history.retain(registry.all()); // what a model removed meanwhile left
        if (lastRecorded == null || minute.isAfter(lastRecorded)) lastRecorded = minute;
    }

    /**
     * A graceful stop's part of the history: the minute before this one if the timer has not written it yet, and what
     * this minute counted so far, marked {@code head} (or {@code part} when the runtime started within it), so a runner
     * started again within the minute adds its {@code tail} and the minute reads whole, not as a false zero.
     */
    private void recordStop() {
        synchronized (historyLock) {
            Instant minute = options.clock().instant().truncatedTo(ChronoUnit.MINUTES);
            Instant before = minute.minus(1, ChronoUnit.MINUTES);
            if (started.isBefore(minute) && (lastRecorded == null || lastRecorded.isBefore(before))) record(before, true);
            // the clock set back to a minute on file already: a row there would count these arrivals twice over in it
            if (lastRecorded == null || minute.isAfter(lastRecorded)) record(minute, false);
            else LOG.warn("demand history: the clock reads {}, not past the minute {} already recorded: the minute of the stop is not recorded",
                    options.clock().instant(), lastRecorded);
        }
    }

    /** Registers, loads and warms a model; it follows the active policy's scale-from-zero rule. */
    public ModelServer register(io.prescale.live.registry.ModelRegistration reg) throws ai.onnxruntime.OrtException {
        ModelServer s = registry.register(reg);
        recordRegistration(s); // once it is registered: a registration that fails changes nothing about the name's history
        control.applyScaleFromZeroRule(s);
        return s;
    }

    /** Records which model file {@code s} serves, for the warm-up from its name's history ({@link DemandHistory#registered}). */
    private void recordRegistration(ModelServer s) {
        try {
            history.registered(s.name(), sha256(registry.store().resolve(s.registration().file())), options.clock().instant());
        } catch (RuntimeException | java.io.IOException e) {
            LOG.warn("model '{}': its file's digest was not recorded, so a warm-up reads all of its name's history: {}", s.name(), e.toString());
        }
    }

    /** The file's SHA-256 in hex: read once per registration, which loads and warms the model anyway. */
    private static String sha256(Path file) throws java.io.IOException {
        java.security.MessageDigest digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java platform has it
        }
        try (java.io.InputStream in = new java.security.DigestInputStream(java.nio.file.Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Held by every change to the stored or active policies, from {@code /policies} and from {@code serve --policy} at start:
     * an activation reads the file, validates and runs it, and a change in between (a DELETE of the file, another
     * activation) would leave the running policy, its file and the one recorded active (which a restart resumes) apart.
     */
    public Object policyChanges() {
        return policyChanges;
    }

    /** Activates a stored policy and records it as active (so a restart resumes it). */
    public void activate(PolicyFile p) {
        synchronized (policyChanges) {
            ControlLoop.Prepared prepared = control.prepare(p); // a mistake in the file is named before "cannot run live"
            control.requireDeployable(p);
            activate(prepared);
        }
    }

    /** Activates a policy already checked and built ({@link ControlLoop#prepare}), building nothing again. */
    public void activate(ControlLoop.Prepared p) {
        synchronized (policyChanges) {
            control.activate(p); // which starts the cluster's next observation interval
            policyStore.setActive(p.file().name());
        }
    }

    /**
     * Stores a checked and built policy ({@link ControlLoop#prepare}), replacing a stored one of its name as
     * {@code PUT /policies/{name}} does, and activates it as {@code POST /policies/{name}/activate} does: one change under
     * the policies' lock, each step written durably, so after {@code kill -9} it is back as a posted and activated policy
     * is. {@code serve --policy} (a sweep's winner.yaml) goes this way. PolicyStoreFullException when it is new and the
     * store is full; LiveUnsupportedException when it cannot run live (nothing is stored then).
     */
    public void storeAndActivate(ControlLoop.Prepared p) {
        synchronized (policyChanges) {
            control.requireDeployable(p.file());
            policyStore.put(p.file());
            activate(p);
        }
    }

    /** 504 for queued requests past their deadline in every model, including those with no replica to take them. */
    public void expireOverdue() {
        for (ModelServer s : registry.all()) s.expireOverdue();
    }

    public ModelRegistry registry() { return registry; }
    public PolicyStore policyStore() { return policyStore; }
    public ControlLoop control() { return control; }
    public LiveMetrics metrics() { return metrics; }
    public DemandHistory history() { return history; }
    public io.prescale.live.state.PendingUploads pendingUploads() { return pendingUploads; }
    public LiveCluster cluster() { return cluster; }
    public Options options() { return options; }
    public List<String> restoreProblems() { return restoreProblems; }

    /**
     * Stops the timers and, when they ran (the history is written by them), records the minute so far
     * ({@link #recordStop}); then closes every model. Stop taking requests first (the HTTP server), so they are counted.
     */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdown(); // no further runs; one running finishes (an interrupt would cut a history append short)
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS); // a minute being recorded is on file before the stop's row
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler.shutdownNow();
            try {
                recordStop();
            } catch (RuntimeException e) {
                LOG.warn("demand history: the minute of the stop was not recorded: {}", e.getMessage());
            }
            scheduler = null;
        }
        control.close();
        registry.close();
        loader.shutdownNow();
    }
}
