package io.prescale.live.loop;

import io.prescale.core.loop.Cluster;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PoolObservation;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.live.registry.LocalPool;
import io.prescale.live.registry.ModelRegistry;
import io.prescale.live.serve.IntervalStats;
import io.prescale.live.serve.ModelServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The live runner's pools as the IRM loop sees them: observations built from each model server's counters
 * over the interval since the previous tick, and decisions carried out by creating or closing ONNX Runtime
 * sessions. This machine is one CPU node; a ResizePool is recorded but has nothing to provision.
 */
public final class LiveCluster implements Cluster {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCluster.class);

    private final ModelRegistry registry;
    private final PoolShape pool;
    private final Duration defaultInterval;
    private Instant lastObserve;

    public LiveCluster(ModelRegistry registry, PoolShape pool, Duration defaultInterval) {
        this.registry = registry;
        this.pool = pool;
        this.defaultInterval = defaultInterval;
    }

    /** The local CPU node: cores and memory of this JVM's machine, priced per hour. */
    public static PoolShape localCpuPool(double pricePerCoreHour) {
        return localCpuPool(pricePerCoreHour, Runtime.getRuntime().availableProcessors());
    }

    /** The local CPU node with {@code cores} CPU threads to place replicas on (serve --cpu-threads), priced per core-hour. */
    public static PoolShape localCpuPool(double pricePerCoreHour, int cores) {
        return new PoolShape(ModelServer.POOL, "none", 0, 0, cores, Runtime.getRuntime().maxMemory(), cores * pricePerCoreHour,
                Duration.ZERO, SharingMode.EXCLUSIVE, 1, 1, "--price-per-core-hour x cores");
    }

    public PoolShape pool() {
        return pool;
    }

    /**
     * Starts the next observation interval at {@code now}, discarding what was counted before: traffic served while no
     * policy ticked (warm-up, a benchmark, the previous policy's last partial interval) must not read as load to the
     * policy that starts now.
     */
    public synchronized void startInterval(Instant now) {
        for (ModelServer s : registry.all()) s.intervalSnapshot();
        lastObserve = now;
    }

    @Override
    public synchronized Observation observe(Instant now) {
        Duration interval = lastObserve == null || !now.isAfter(lastObserve) ? defaultInterval : Duration.between(lastObserve, now);
        lastObserve = now;
        double seconds = interval.toNanos() / 1e9;
        List<ModelObservation> models = new ArrayList<>();
        for (ModelServer s : registry.all()) {
            IntervalStats.Snapshot st = s.intervalSnapshot();
            ModelServer.ReplicaCounts replicas = s.replicaCounts(); // read apart, a load finishing between them went unseen
            int ready = replicas.ready();
            double busy = ready == 0 ? Double.NaN : Math.min(1.0, st.busyNanos() / 1e9 / (ready * seconds));
            // as the simulator's observation: a request that timed out in the queue finished without meeting the SLO, so
            // it counts in the denominator (a model answering 504s read as meeting its SLO, or NaN with none served)
            long done = st.completed() + st.timedOut();
            double slo = done == 0 ? Double.NaN : st.metSlo() / (double) done;
            // Little's law over the interval: time in system of finished requests per second of interval
            double concurrency = st.latencyNanos() / 1e9 / seconds;
            models.add(new ModelObservation(s.spec(), st.arrivals(), s.queueDepth(), s.inServiceRows(), concurrency, busy,
                    st.p99Seconds(), slo, ready, replicas.starting(), st.dropped(), st.timedOut(), false));
        }
        LocalPool.Usage u = registry.pool().usage();
        long gpuUsed = u.gpuMemoryUsedMb().stream().mapToLong(Long::longValue).sum() << 20;
        long gpuCapacity = u.gpuMemoryMb().stream().mapToLong(Long::longValue).sum() << 20;
        PoolObservation p = new PoolObservation(pool, 1, 0, gpuUsed, gpuCapacity, pool.pricePerHour());
        return new Observation(now, interval, models, List.of(p));
    }

    /**
     * Says once (until it changes) that a model's scale-up could not be applied in full: the pool had room for fewer
     * replicas than the policy asked for. Counted in prescale_pool_scale_ups_cut_total.
     */
    private void placed(ModelServer m, LocalPool.Placed placed) {
        Placed last = cut.get(m.name());
        if (placed.inFull()) {
            if (last != null && cut.remove(m.name(), last)) LOG.info("model '{}': scale-up to {} replicas placed in full", m.name(), placed.placed());
            return;
        }
        onCut.run();
        Placed now = new Placed(m, placed.asked(), placed.placed());
        if (now.equals(cut.put(m.name(), now)))
            return;
        LOG.warn("model '{}': decision to scale to {} replicas applied in part: {} placed ({}; serve --cpu-threads)", m.name(), placed.asked(),
                placed.placed(), placed.why());
    }

    /** The last cut scale-up said per model: said again only when it changes. */
    private record Placed(Object model, int asked, int placed) {}

    private final java.util.concurrent.ConcurrentHashMap<String, Placed> cut = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Runnable onCut = () -> {};

    /** Forgets what was said of a removed model. */
    public void forget(String model) {
        cut.remove(model);
    }

    /** Called for each scale-up the pool could not place in full. */
    public void onScaleUpCut(Runnable r) {
        this.onCut = r;
    }

    @Override
    public void apply(Decision decision) {
        // Java 17: no pattern switch; the chain covers every permitted Decision
        if (decision instanceof Decision.ScaleModel s) {
            registry.get(s.model()).ifPresentOrElse(m -> placed(m, registry.pool().scale(m, s.replicas())),
                    () -> LOG.warn("decision for unknown model '{}' ignored", s.model()));
        } else if (decision instanceof Decision.Preload p) {
            registry.get(p.model()).ifPresent(m -> {
                if (m.target() == 0) placed(m, registry.pool().scale(m, 1));
            });
        } else if (decision instanceof Decision.Evict e) {
            registry.get(e.model()).ifPresent(m -> registry.pool().scale(m, 0));
        } else if (decision instanceof Decision.ResizePool r) {
            LOG.debug("pool '{}' resize to {} nodes: this runner is one local node", r.pool(), r.nodes());
        } else if (!(decision instanceof Decision.NoOp)) {
            throw new IllegalArgumentException("unhandled decision " + decision);
        }
    }
}
