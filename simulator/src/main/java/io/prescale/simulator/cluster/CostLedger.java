package io.prescale.simulator.cluster;

import io.prescale.core.resource.PoolShape;
import io.prescale.simulator.metrics.ModelMetrics;

/**
 * Splits every node's bill over the models on it: each stretch of a node's billed time goes to the
 * replicas resident during it in proportion to their share (memory/compute/MIG slices), to the model
 * whose replica left last while the node drains or waits to be released, and to "unattributed" only for
 * nodes no model ever used (warm pool capacity). So per-model costs add up to the pool bill.
 */
final class CostLedger {
    private final ModelServer[] servers;
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
        } else if (n.lastModel >= 0) {
            add(servers[n.lastModel].metrics, cost, gpu);
        } else {
            unattributedUsd += cost;
            unattributedGpuSeconds += gpu;
        }
        n.accruedTo = until;
    }

    /** After a reset at {@code t}: a released node's drain tail after {@code t} goes back to the model that left it. */
    void reattributeTail(Node n, double t) {
        double secs = n.releasedAt - t;
        if (secs <= 0) return;
        PoolShape shape = n.pool.shape();
        double cost = shape.pricePerHour() * secs / 3600.0, gpu = shape.gpusPerNode() * secs;
        if (n.lastModel >= 0) add(servers[n.lastModel].metrics, cost, gpu);
        else {
            unattributedUsd += cost;
            unattributedGpuSeconds += gpu;
        }
    }

    void reset() {
        unattributedUsd = 0;
        unattributedGpuSeconds = 0;
    }

    private static void add(ModelMetrics m, double cost, double gpu) {
        m.costUsd += cost;
        m.gpuSeconds += gpu;
        m.repCostUsd += cost;
        m.repGpuSeconds += gpu;
    }

    double unattributedUsd() {
        return unattributedUsd;
    }

    double unattributedGpuSeconds() {
        return unattributedGpuSeconds;
    }
}
