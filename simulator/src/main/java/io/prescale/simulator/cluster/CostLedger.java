package io.prescale.simulator.cluster;

import io.prescale.core.resource.PoolShape;
import io.prescale.simulator.metrics.ModelMetrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits every node's bill over the models, so per-model costs add up to the pool bill:
 * <ul>
 *   <li>a stretch of a node's billed time with replicas on it goes to those replicas in proportion to their share
 *       (memory/compute/MIG slices);</li>
 *   <li>a stretch with no replica on it (a spare node a policy keeps, a pool's warm minimum, a node provisioning
 *       for nothing yet, one draining after its last replica left) is spare time: collected per pool and, at each
 *       report row's end ({@link #settle}), shared among the pool's models in proportion to the cost their
 *       replicas were attributed in that pool over the same interval. An interval in which no model of the pool
 *       held a replica carries its spare time to the next one that did; what is left at the run's end goes by the
 *       models' use over the whole run, or evenly among the pool's models if none ever ran there. Only a pool
 *       that no model names stays unattributed.</li>
 * </ul>
 * Each model keeps "of which spare" ({@link ModelMetrics#spareUsd}) beside its cost.
 */
final class CostLedger {
    private final ModelServer[] servers;
    /** Per pool: {USD, GPU-seconds} of its nodes' time with no replica, not yet shared out. */
    private final Map<SimulatedPool, double[]> spare = new LinkedHashMap<>();
    private double unattributedUsd;
    private double unattributedGpuSeconds;

    CostLedger(ModelServer[] servers) {
        this.servers = servers;
    }

    /** Attributes node {@code n}'s billed time up to {@code t} (clipped to its release). */
    void accrue(Node n, double t) {
        double from = Math.max(n.accruedTo, n.provisionedAt);
        double until = n.released() ? Math.min(t, n.releasedAt) : t;
        if (!(until > from)) return;
        PoolShape shape = n.pool.shape();
        double secs = until - from;
        double cost = shape.pricePerHour() * secs / 3600.0;
        double gpu = shape.gpusPerNode() * secs;
        double total = 0;
        for (Replica r : n.residents) {
            total += r.share;
            servers[r.model].metrics.residentGpuByteSeconds += (double) r.memory * secs;
            servers[r.model].metrics.repReplicaSeconds += secs;
        }
        if (total > 0) {
            for (Replica r : n.residents) add(servers[r.model].metrics, cost * r.share / total, gpu * r.share / total);
        } else {
            addSpare(n.pool, cost, gpu);
        }
        n.accruedTo = until;
    }

    private void addSpare(SimulatedPool pool, double cost, double gpu) {
        double[] b = spare.computeIfAbsent(pool, k -> new double[2]);
        b[0] += cost;
        b[1] += gpu;
    }

    /**
     * Shares each pool's spare time so far among its models by the cost their replicas were attributed since the
     * last report row ({@code repCostUsd} less its spare part); call before the row is read. {@code last}: the run
     * ends, so what no interval's use could take goes by the whole run's use, else evenly over the pool's models.
     */
    void settle(boolean last) {
        for (var it = spare.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            String pool = e.getKey().id();
            double[] b = e.getValue();
            if (!(b[0] > 0) && !(b[1] > 0)) {
                it.remove();
                continue;
            }
            double w = 0;
            for (ModelServer s : servers) if (s.spec.pool().equals(pool)) w += s.metrics.repCostUsd - s.metrics.repSpareUsd;
            if (w > 0) {
                for (ModelServer s : servers)
                    if (s.spec.pool().equals(pool)) addShare(s.metrics, b, (s.metrics.repCostUsd - s.metrics.repSpareUsd) / w);
                it.remove();
                continue;
            }
            if (!last) continue; // carried to the next interval in which a model of the pool runs
            int models = 0;
            for (ModelServer s : servers)
                if (s.spec.pool().equals(pool)) {
                    w += s.metrics.costUsd - s.metrics.spareUsd;
                    models++;
                }
            if (models == 0) {
                unattributedUsd += b[0];
                unattributedGpuSeconds += b[1];
            } else {
                for (ModelServer s : servers)
                    if (s.spec.pool().equals(pool)) addShare(s.metrics, b, w > 0 ? (s.metrics.costUsd - s.metrics.spareUsd) / w : 1.0 / models);
            }
            it.remove();
        }
    }

    private static void addShare(ModelMetrics m, double[] bucket, double fraction) {
        if (!(fraction > 0)) return;
        double cost = bucket[0] * fraction, gpu = bucket[1] * fraction;
        add(m, cost, gpu);
        m.spareUsd += cost;
        m.spareGpuSeconds += gpu;
        m.repSpareUsd += cost;
    }

    void reset() {
        spare.clear();
        unattributedUsd = 0;
        unattributedGpuSeconds = 0;
    }

    private static void add(ModelMetrics m, double cost, double gpu) {
        m.costUsd += cost;
        m.gpuSeconds += gpu;
        m.repCostUsd += cost;
        m.repGpuSeconds += gpu;
    }

    /** Money of pools no model names (their nodes' bill has no model to go to). */
    double unattributedUsd() {
        return unattributedUsd;
    }

    double unattributedGpuSeconds() {
        return unattributedGpuSeconds;
    }
}
