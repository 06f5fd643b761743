package io.prescale.simulator.cluster;

import java.util.ArrayList;
import java.util.List;

/** One billable node (one GPU, or one CPU VM) of a simulated pool, from provisioning to release. */
public final class Node {
    final int id;
    final SimulatedPool pool;
    final double provisionedAt;
    double readyAt;
    double releasedAt = Double.NaN;
    double drainedAt;          // last time a replica that left it was still serving
    double accruedTo;          // its bill is attributed to models up to here
    boolean cordoned;          // a spot node under interruption notice: no replica is placed on it
    long gpuMemoryUsed;
    double computeUsed;        // MPS SM share / time-slice share in use
    int migSlicesUsed;
    int migMask;               // MIG: the memory slices its instances occupy (bit i = slice i)
    final List<Replica> residents = new ArrayList<>(4);
    // replicas that left it still finishing their last batch, where replicas can be lost (a node taken back loses that
    // batch too); null until one does
    List<Replica> leftServing;

    Node(int id, SimulatedPool pool, double provisionedAt, double readyAt) {
        this.id = id;
        this.pool = pool;
        this.provisionedAt = provisionedAt;
        this.readyAt = readyAt;
        this.drainedAt = provisionedAt;
    }

    public boolean released() {
        return !Double.isNaN(releasedAt);
    }

    /**
     * Seconds billed from {@code scoreFrom} up to {@code t}, or up to its release when that is earlier (a node released
     * after {@code t}, draining a batch past the run's end, is billed up to the end only).
     */
    public double billedSeconds(double t, double scoreFrom) {
        double end = released() ? Math.min(releasedAt, t) : t;
        return Math.max(0, end - Math.max(provisionedAt, scoreFrom));
    }

    public int id() { return id; }
    public boolean cordoned() { return cordoned; }
    public double provisionedAt() { return provisionedAt; }
    public List<Replica> residents() { return residents; }
    public long gpuMemoryUsed() { return gpuMemoryUsed; }
}
