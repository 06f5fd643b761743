package io.prescale.live.serve;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.live.onnx.DeviceRequest;
import io.prescale.live.onnx.NativeThreads;
import io.prescale.live.onnx.Replica;
import io.prescale.live.onnx.Replicas;
import io.prescale.live.registry.ModelRegistration;
import io.prescale.live.tensor.ModelSignature;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorBatching;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One served model: its bounded priority queue, its replicas (each an ONNX Runtime session driven by its
 * own worker thread), dynamic batching, admission with deadline-aware rejection, and what it measured.
 * Scaling creates and closes sessions for real; loads run on {@code loader} so a request thread never waits for one.
 */
public final class ModelServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);
    public static final String POOL = "cpu";
    /** -Dprescale.directRuns=false sends every request through the queue and a replica worker (for comparison). */
    private static final boolean DIRECT_RUNS = !"false".equals(System.getProperty("prescale.directRuns"));

    private final ModelRegistration registration;
    private final Path file;
    private final DeviceRequest device;
    private final ModelSignature signature;
    private final boolean batchable;
    private final RequestQueue queue;
    private final Executor loader;
    private final ServeListener listener;
    private final IntervalStats stats = new IntervalStats();
    private final LatencyFit latency = new LatencyFit();
    private final CopyOnWriteArrayList<ReplicaWorker> workers = new CopyOnWriteArrayList<>();
    /** Replicas a scale-down stopped that have not closed yet (finishing the batch in hand); guarded by this. */
    private final java.util.Set<ReplicaWorker> retiring = new java.util.HashSet<>();
    private final AtomicInteger inService = new AtomicInteger();
    private final AtomicInteger workerIds = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong directRuns = new java.util.concurrent.atomic.AtomicLong();
    private final long createdNanos = System.nanoTime();
    private volatile String deviceDescription;
    private volatile String warmUp = "not yet";
    private volatile long lastLoadNanos;
    private volatile boolean autoStartFromZero = true;
    /** Places the replica an arrival starts at zero: the pool's check once the registry has set it ({@link #placeOn}). */
    private volatile Placement placement = ModelServer::startUnplaced;
    private volatile boolean draining;
    /** Why it holds no replica though it may want some (restored past a smaller pool); null once placed. */
    private volatile String unplaced;
    private int target;
    private int starting;
    private long coldStarts;
    private long replicasLost; // guarded by this
    private double replicaSeconds;
    private long replicaSecondsSince = System.nanoTime();

    private ModelServer(ModelRegistration registration, Path file, DeviceRequest device, Replica probe,
                        Executor loader, ServeListener listener) {
        this.registration = registration;
        this.file = file;
        this.device = device;
        this.signature = probe.signature();
        this.batchable = signature.batchable();
        this.queue = new RequestQueue(registration.batching().queueCapacity());
        this.loader = loader;
        this.listener = listener;
        this.deviceDescription = probe.device();
        this.lastLoadNanos = probe.loadNanos();
    }

    /**
     * Loads the first session synchronously (so a bad file fails the registration), warms it, and keeps it
     * as the first replica when the model wants one; further replicas load in the background. {@code initialReplicas}
     * is clamped to the model's min and max, except 0: no replica at all, even below its minimum (a model restored
     * past a smaller pool, {@link #unplaced}), until it is placed.
     */
    public static ModelServer open(ModelRegistration registration, Path file, Executor loader, ServeListener listener, int initialReplicas)
            throws ai.onnxruntime.OrtException {
        var r = registration.resources();
        DeviceRequest device = new DeviceRequest(r.cpuThreads(), r.gpuMemoryMb() > 0, r.cudaDevice(), r.gpuMemoryMb() * 1024 * 1024);
        Replica probe = Replicas.load(file, device);
        ModelServer server;
        try {
            server = new ModelServer(registration, file, device, probe, loader, listener);
            long warm = server.warm(probe);
            server.lastLoadNanos = probe.loadNanos() + warm;
        } catch (RuntimeException | Error e) { // the registration fails: the session loaded to check the file goes with it
            probe.close();
            throw e;
        }
        synchronized (server) {
            server.target = initialReplicas == 0 ? 0 : server.clamp(initialReplicas);
            if (server.target >= 1) server.addWorker(probe);
            else probe.close();
            for (int i = server.workers.size(); i < server.target; i++) server.startOne();
        }
        return server;
    }

    /**
     * Runs a zero input once, so that the first request does not pay the session's one-off allocations; returns the
     * time it took. Not a latency measurement: a zero input of a guessed size says little of a real one's time (a
     * PaddleOCR classifier ran 0.2 ms on 1x3x1x1 and 2-12 ms on the 1x3x48x192 it is sent), so only requests are
     * measured. A model that takes no guessed input is served without a warm-up ({@link #warmUp()} says why).
     */
    private long warm(Replica replica) {
        long start = System.nanoTime();
        Exception first = null;
        for (Map<String, Tensor> in : replica.warmUpInputs()) {
            try {
                replica.run(in);
                warmUp = "ran on zeros of " + shapes(in);
                return System.nanoTime() - start;
            } catch (Exception e) {
                if (first == null) first = e;
            }
        }
        String why = first == null ? "no input to try" : String.valueOf(first.getMessage()).lines().findFirst().orElse("");
        warmUp = "skipped: the model takes no zero input of a guessed shape (" + why + ")";
        LOG.debug("{}: warm-up {}", name(), warmUp);
        return System.nanoTime() - start;
    }

    private static String shapes(Map<String, Tensor> in) {
        StringBuilder b = new StringBuilder();
        in.forEach((k, t) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(java.util.Arrays.toString(t.shape())));
        return b.toString();
    }

    /** How the last replica loaded was warmed: the zero input it ran on, or why it was not. */
    public String warmUp() {
        return warmUp;
    }

    public String name() {
        return registration.name();
    }

    public ModelRegistration registration() {
        return registration;
    }

    public ModelSignature signature() {
        return signature;
    }

    public Path file() {
        return file;
    }

    /** Where its replicas run, e.g. "cpu" or "cuda:0", with the reason when CUDA fell back to CPU. */
    public String device() {
        return deviceDescription;
    }

    public boolean batchable() {
        return batchable;
    }

    RequestQueue queue() {
        return queue;
    }

    int maxBatchRows() {
        return batchable ? registration.batching().maxBatch() : 1;
    }

    long maxQueueDelayNanos() {
        return registration.batching().maxQueueDelay().toNanos();
    }

    /** Whether a request arriving while no replica exists starts one at once (no policy, or a policy that wants it). */
    public void autoStartFromZero(boolean on) {
        autoStartFromZero = on;
    }

    /** Where the replica an arrival starts at zero is placed (the pool it must fit in). */
    @FunctionalInterface
    public interface Placement {
        /**
         * Starts the replicas of a model that has none (its {@code minReplicas}, at least one) if they fit: null when they
         * were started, or when none were needed (one is starting already), else why they do not fit.
         */
        String startFromZero(ModelServer s);
    }

    /** Places the replicas arrivals start at zero on {@code placement}, which checks they fit (the registry's pool). */
    public void placeOn(Placement placement) {
        this.placement = placement;
    }

    /** A server on its own (no pool): an arrival at zero starts its replica unchecked. */
    private static String startUnplaced(ModelServer s) {
        synchronized (s) {
            if (s.target == 0 && !s.draining) s.scaleTo(1);
        }
        return null;
    }

    /** Seconds a request refused for a full pool is told to wait: room is made by a removal, or a policy's next tick. */
    static final long POOL_FULL_RETRY_AFTER_SECONDS = 5;

    /**
     * Admits a request (inputs already checked against the signature). The future fails with a
     * {@link Rejection} when the queue is full, the deadline cannot be met, or the model is draining. Without
     * batching, on a big-stack request thread, with nothing queued, an idle replica runs it on the calling
     * thread and the future is complete on return.
     */
    public CompletableFuture<Map<String, Tensor>> submit(Map<String, Tensor> inputs, Optional<PriorityClass> priority, Optional<Duration> deadline) {
        long now = System.nanoTime();
        stats.arrived();
        int rows = batchable ? TensorBatching.rows(inputs) : 1;
        Duration budget = deadline.orElse(registration.timeout());
        InferenceRequest req = new InferenceRequest(inputs, rows, priority.orElse(registration.priorityClass()), now, now + budget.toNanos());
        if (draining) return reject(req, new Rejection(Rejection.Kind.DRAINING, "model '" + name() + "' is being removed", 1));
        int ready = workers.size();
        if (ready == 0 && autoStartFromZero && !draining) {
            // the replica it starts must fit the pool beside the others' (it once took its threads unchecked): else the
            // request is refused at once, as nothing would serve it until room is made
            String full = placement.startFromZero(this);
            if (full != null)
                return reject(req, new Rejection(Rejection.Kind.POOL_FULL, "model '" + name() + "' has no replica and the pool has no room to start "
                        + "one: " + full + " (serve --cpu-threads, --gpu-memory-mb); a removal or a scale-down makes room", POOL_FULL_RETRY_AFTER_SECONDS));
        }
        Optional<LatencyProfile> profile = latency.profile(); // a fit over the measured batches: once a request
        double alone = ownWorkSeconds(profile, rows);
        if (alone > budget.toNanos() / 1e9)
            return reject(req, new Rejection(Rejection.Kind.DEADLINE_TOO_SHORT, String.format(Locale.ROOT,
                    "model '%s' needs about %.0f ms for this request's %d rows on an idle replica, more than its %d ms deadline: "
                            + "send fewer rows or allow more time (deadlineMs, X-Deadline-Ms)", name(), alone * 1000, rows, budget.toMillis()), 0));
        // only what is served before it: rows of its own priority that came first, and of higher priorities
        double wait = estimatedWaitSeconds(profile, queue.rowsAhead(req.priority), ready) + alone;
        if (wait > budget.toNanos() / 1e9)
            return reject(req, new Rejection(Rejection.Kind.DEADLINE_UNMEETABLE, String.format(
                    "model '%s' cannot answer within %d ms: about %.0f ms of work is queued ahead", name(), budget.toMillis(), wait * 1000),
                    retryAfter(wait)));
        if (DIRECT_RUNS && maxBatchRows() == 1 && NativeThreads.onBigStack() && queue.size() == 0) {
            // nothing waits and nothing would be batched: an idle replica answers on this thread
            for (ReplicaWorker w : workers) {
                if (w.tryRunNow(req)) {
                    directRuns.incrementAndGet();
                    return req.result;
                }
            }
        }
        InferenceRequest refused = queue.offer(req);
        // a removal since the check above closed the queue, which refuses every offer: the model went, no retry helps
        if (refused == req && draining) return reject(req, new Rejection(Rejection.Kind.DRAINING, "model '" + name() + "' is being removed", 1));
        if (refused != null) {
            String why = refused == req
                    ? "model '" + name() + "' queue is full (" + queue.capacity() + " requests)"
                    : "displaced by a higher-priority request: model '" + name() + "' queue is full";
            reject(refused, new Rejection(Rejection.Kind.QUEUE_FULL, why, retryAfter(estimatedWaitSeconds(profile, queue.rows(), ready))));
        }
        return req.result;
    }

    /** A request for this model answered 400 before it was admitted (wrong inputs, options or JSON): counted, not queued. */
    public void badRequest() {
        listener.rejected(Rejection.Kind.BAD_REQUEST);
    }

    private CompletableFuture<Map<String, Tensor>> reject(InferenceRequest r, Rejection why) {
        if (why.kind().turnedAway()) stats.dropped();
        listener.rejected(why.kind());
        r.result.completeExceptionally(why);
        return r.result;
    }

    private static long retryAfter(double waitSeconds) {
        return Math.max(1, (long) Math.ceil(waitSeconds));
    }

    /** Queueing estimate from the measured profile: {@code rows} spread over ready replicas, plus a load if none. */
    private double estimatedWaitSeconds(Optional<LatencyProfile> p, int rows, int ready) {
        if (p.isEmpty()) return 0;
        int batch = maxBatchRows();
        double perBatch = p.get().batchSeconds(batch);
        double batchesAhead = Math.ceil(rows / (double) batch);
        double wait = batchesAhead * perBatch / Math.max(1, ready);
        if (ready == 0) wait += lastLoadNanos / 1e9;
        return wait;
    }

    /** The request's own rows on an idle replica, from the measured profile: what no wait for the queue can shorten. */
    private double ownWorkSeconds(Optional<LatencyProfile> p, int rows) {
        // a request is never split: its rows run as one batch, however many maxBatch lets other requests join
        return p.isEmpty() ? 0 : p.get().batchSeconds(rows);
    }

    /**
     * Answers 504 to queued requests past their deadline. Replica workers do this each time they take a batch; a
     * model with no replica (scaled to zero, none starting on arrival) has no worker, and its queue waits for this.
     */
    public void expireOverdue() {
        queue.expireOverdue(this::expire);
    }

    void expire(InferenceRequest r) {
        stats.timedOut();
        listener.rejected(Rejection.Kind.DEADLINE_EXPIRED);
        r.result.completeExceptionally(new Rejection(Rejection.Kind.DEADLINE_EXPIRED,
                "deadline passed after " + (System.nanoTime() - r.arrivedNanos) / 1_000_000 + " ms in the queue of '" + name() + "'", 1));
    }

    void complete(InferenceRequest r, Map<String, Tensor> out, long endNanos) {
        long lat = endNanos - r.arrivedNanos;
        stats.completed(lat, lat <= registration.slo().latency().toNanos());
        listener.served(lat);
        r.result.complete(out);
    }

    void fail(InferenceRequest r, Rejection why) {
        if (why.kind().turnedAway()) stats.dropped();
        listener.rejected(why.kind());
        r.result.completeExceptionally(why);
    }

    /**
     * A batch run ended, answered ({@code ok}) or failed. A failed run held the replica (busy) but is no service time: one
     * that failed fast (bad values, a shape the model refuses) pulled the profile's estimate down, and deadline admission
     * then let in requests that could not be served in time; only answered runs are measured.
     */
    void batchDone(int rows, long nanos, boolean ok) {
        stats.busy(nanos);
        if (ok) latency.record(rows, nanos / 1e9);
        listener.batchRun(rows, nanos);
    }

    void inService(int delta) {
        inService.addAndGet(delta);
    }

    boolean drainingWithWork() {
        return draining && queue.size() > 0;
    }

    boolean queueClosedAndEmpty() {
        return draining && queue.size() == 0;
    }

    // ---- scaling ----

    private int clamp(int n) {
        return Math.max(registration.minReplicas(), Math.min(registration.maxReplicas(), n));
    }

    /**
     * Asks for {@code replicas} replicas (clamped to the model's min/max); returns the clamped target. A scale to zero
     * while requests are queued keeps one replica (ready or loading) until a later call finds the queue empty: they were
     * admitted to be served, and nothing else would serve them but a new arrival's start from zero (they waited for
     * their timeout, 504, before).
     */
    public synchronized int scaleTo(int replicas) {
        if (draining) return 0;
        target = clamp(replicas);
        if (target == 0 && queue.size() > 0 && workers.size() + starting > 0) target = 1;
        if (target > 0) unplaced = null;
        while (workers.size() + starting < target) startOne();
        while (workers.size() > target) {
            accrue(); // the replica's seconds up to now, while it is still counted
            ReplicaWorker w = workers.remove(workers.size() - 1);
            retiring.add(w); // it finishes its batch in hand, then closes: the pool counts it till then
            w.stop();
        }
        return target;
    }

    private void startOne() {
        starting++;
        loader.execute(this::loadOne);
    }

    private void loadOne() {
        Replica replica = null;
        try {
            replica = Replicas.load(file, device);
            long warm = warm(replica);
            synchronized (this) {
                starting--;
                notifyAll(); // a drain waits for the loads in progress
                // a drain keeps a replica that loaded while requests were queued: it serves them, then stops
                if (draining ? queue.size() == 0 : workers.size() >= target) {
                    replica.close();
                    return;
                }
                boolean cold = workers.isEmpty();
                if (cold) coldStarts++;
                lastLoadNanos = replica.loadNanos() + warm;
                deviceDescription = replica.device();
                listener.replicaLoaded(lastLoadNanos, cold);
                addWorker(replica);
            }
        } catch (Exception | LinkageError e) {
            synchronized (this) {
                starting--;
                notifyAll();
            }
            if (replica != null) replica.close();
            LOG.warn("{}: loading a replica failed: {}", name(), e.getMessage());
        }
    }

    private void addWorker(Replica replica) {
        accrue();
        ReplicaWorker w = new ReplicaWorker(this, replica, workerIds.incrementAndGet());
        workers.add(w);
        w.start();
    }

    synchronized void workerExited(ReplicaWorker w) {
        if (!workers.contains(w)) { // scaled down: booked then, and held till now (its session is closed)
            retiring.remove(w);
            return;
        }
        accrue(); // charged up to now, while it is still counted
        workers.remove(w);
    }

    /** A replica that can run nothing more (its process died): drop it and start another to keep the target. */
    synchronized void replicaDied(ReplicaWorker w, Throwable why) {
        LOG.warn("{}: a replica died ({}); starting a replacement", name(), why.getMessage());
        replicasLost++;
        if (workers.contains(w)) {
            accrue();
            workers.remove(w);
        }
        if (!draining) while (workers.size() + starting < target) startOne();
    }

    /** Replicas that died while serving (and were replaced). */
    public synchronized long replicasLost() {
        return replicasLost;
    }

    /** Charges the replicas counted now for the time since the last change: call it before the count changes. */
    private synchronized void accrue() {
        long now = System.nanoTime();
        replicaSeconds += workers.size() * (now - replicaSecondsSince) / 1e9;
        replicaSecondsSince = now;
    }

    /**
     * Says why the model holds no replica though it was opened without any, below its minimum: restored past a smaller
     * pool (a model whose minimum is 0 is not unplaced with none: it is at its minimum). Cleared once a replica is placed.
     */
    public void unplaced(String why) {
        unplaced = why;
    }

    /** Why it is not placed (see {@link #unplaced(String)}), while it holds no replica for that reason. */
    public Optional<String> unplacedReason() {
        return Optional.ofNullable(unplaced);
    }

    // ---- what it reports ----

    public synchronized int target() {
        return target;
    }

    /**
     * The replicas the pool counts for it: its target, or more while more are open (ready, loading, or scaled down and
     * finishing their last batch: each until its session is closed); once it drains (removed), the replicas still open.
     * A scale-down stopped counting its replicas at once, so the pool placed others on their CPU threads (GPU memory)
     * while they still ran.
     */
    public synchronized int replicasHeld() {
        int open = workers.size() + starting + retiring.size();
        return draining ? open : Math.max(target, open);
    }

    /** Whether it is being removed (or was): it admits nothing more. */
    public boolean draining() {
        return draining;
    }

    public int replicasReady() {
        return workers.size();
    }

    public synchronized int replicasStarting() {
        return starting;
    }

    /** Ready and starting replicas at one moment: a finished load moves one from starting to ready under this lock. */
    public record ReplicaCounts(int ready, int starting) {}

    public synchronized ReplicaCounts replicaCounts() {
        return new ReplicaCounts(workers.size(), starting);
    }

    public int queueDepth() {
        return queue.size();
    }

    public int inServiceRows() {
        return inService.get();
    }

    public synchronized long coldStarts() {
        return coldStarts;
    }

    /** Replica-seconds held since the model was registered (what cost is charged on). */
    public synchronized double replicaSeconds() {
        long now = System.nanoTime();
        return replicaSeconds + workers.size() * (now - replicaSecondsSince) / 1e9;
    }

    public long lastLoadNanos() {
        return lastLoadNanos;
    }

    public LatencyFit latency() {
        return latency;
    }

    /** Requests an idle replica ran on the request's own thread, without queueing (no batching, empty queue). */
    public long directRuns() { return directRuns.get(); }
    public long totalArrivals() { return stats.totalArrivals.get(); }
    public long totalCompleted() { return stats.totalCompleted.get(); }
    public long totalDropped() { return stats.totalDropped.get(); }
    public long totalTimedOut() { return stats.totalTimedOut.get(); }
    public long totalLatencyMicros() { return stats.totalLatencyMicros.get(); }

    /** Counters since the previous call (the control loop's interval). */
    public IntervalStats.Snapshot intervalSnapshot() {
        return stats.snapshot();
    }

    /** The core model spec the policies see: registration plus the measured latency profile and load time. */
    public ModelSpec spec() {
        var r = registration;
        LatencyProfile profile = latency.profile().orElse(LatencyProfile.linear(0.001, 0));
        ResourceNeeds needs = new ResourceNeeds(r.resources().cpuThreads(), 0, r.resources().gpuMemoryMb() * 1024 * 1024, 0, null);
        Slo slo = new Slo(r.slo().latency(), 0, r.slo().target());
        return new ModelSpec(r.name(), POOL, needs, Map.of(POOL, profile), maxBatchRows(), r.batching().maxQueueDelay(),
                r.batching().queueCapacity(), r.timeout(), slo, r.priorityClass(), Duration.ofNanos(lastLoadNanos),
                r.minReplicas(), r.maxReplicas());
    }

    /**
     * Stops admitting, lets the replicas finish what is queued and in flight (up to {@code grace}; with requests queued
     * and none ready, a replica still loading is waited for and serves them), then closes every session. Returns whether everything finished within the grace period.
     */
    public boolean drain(Duration grace) throws InterruptedException {
        List<ReplicaWorker> all;
        long until = System.nanoTime() + grace.toNanos();
        synchronized (this) {
            draining = true;
            target = 0;
        }
        queue.close();
        synchronized (this) {
            // requests queued for a replica still loading (a start from zero) are served by it, not refused at once:
            // wait for those loads, within the grace period (a load that ends later finds the queue answered and closes its replica)
            while (starting > 0 && queue.size() > 0) {
                long left = until - System.nanoTime();
                if (left <= 0) break;
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            all = List.copyOf(workers);
        }
        boolean clean = true;
        for (ReplicaWorker w : all) {
            long left = Math.max(0, (until - System.nanoTime()) / 1_000_000);
            if (!w.awaitStopped(left)) clean = false;
        }
        if (queue.size() > 0) clean = false; // (no replica served them in time: answered 503 below)
        queue.clear(r -> fail(r, new Rejection(Rejection.Kind.DRAINING, "model '" + name() + "' was removed", 1)));
        for (ReplicaWorker w : all) w.stop();
        return clean;
    }

    @Override
    public void close() {
        try {
            drain(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long since it was registered (for uptime in GET /models/{name}). */
    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - createdNanos);
    }
}
