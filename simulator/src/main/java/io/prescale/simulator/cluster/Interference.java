package io.prescale.simulator.cluster;

import io.prescale.core.resource.SharingMode;

/**
 * Slowdown of co-located replicas by their load. MIG partitions are isolated: no interference, but a slice
 * with fewer SMs than the model needs serves proportionally slower (need / slice). Under MPS a replica slows
 * when the compute its GPU's busy replicas want adds up to more than the GPU (the SMs are divided); under
 * time slicing one context runs at a time, so each busy neighbour takes a turn (two busy replicas each run
 * at half speed, whatever their compute share). On top, a per-busy-neighbour overhead: 5 % under MPS
 * (shared L2/memory bandwidth) and 10 % under time slicing (context switches). These are coarse figures in
 * the range reported for co-located DNN inference (e.g. Gpulet, USENIX ATC'22; "MIG-serving", 2021); the
 * live runner's measurements can replace them.
 *
 * <p>A neighbour counts by its busy fraction over the last control interval: an idle one costs nothing, an
 * always-busy one the full amount. This is a mean-field approximation: models are simulated independently
 * between control ticks, so a batch's slowdown is fixed when it starts.
 */
final class Interference {
    private Interference() {}

    static final double MPS_NEIGHBOUR_OVERHEAD = 0.05;
    static final double TIME_SLICE_NEIGHBOUR_OVERHEAD = 0.10;

    /** Sets the slowdowns of a node's replicas at {@code t}; a replica still loading computes nothing and slows no one. */
    static void update(Node n, SharingMode mode, double t) {
        switch (mode) {
            case EXCLUSIVE -> {
                for (Replica r : n.residents) r.slowdown = 1.0;
            }
            // isolated, but a slice smaller than the compute the model needs runs proportionally slower
            case MIG -> {
                for (Replica r : n.residents) r.slowdown = Math.max(1.0, r.computeNeed / r.compute);
            }
            case MPS, TIME_SLICED -> shared(n, mode == SharingMode.MPS, t);
        }
    }

    private static void shared(Node n, boolean mps, double t) {
        double overhead = mps ? MPS_NEIGHBOUR_OVERHEAD : TIME_SLICE_NEIGHBOUR_OVERHEAD;
        double busyCompute = 0, busyNeighbours = 0;
        for (Replica r : n.residents) {
            double load = running(r, t);
            busyCompute += r.compute * load;
            busyNeighbours += load;
        }
        for (Replica r : n.residents) {
            double load = running(r, t);
            double others = busyNeighbours - load;
            // MPS runs kernels of several clients at once: slower only when the busy replicas want more SMs
            // than the GPU has. Time slicing runs one context at a time: each busy neighbour takes its turn
            double contention = mps ? Math.max(1.0, r.compute + busyCompute - r.compute * load) : 1 + others;
            r.slowdown = contention * (1 + overhead * others);
        }
    }

    /**
     * Measures each resident's busy fraction since the last call (or since it became ready) and updates the
     * node's slowdowns. A replica still loading computes nothing (it slows no one), but for packing it counts as
     * fully busy until it has served an interval to be measured by: it was started for demand that is coming.
     */
    static void measure(Node n, SharingMode mode, double t) {
        for (Replica r : n.residents) {
            double busy = r.busyUpTo(t);
            double span = t - Math.max(r.markAt, r.readyAt);
            r.load = !(r.readyBy(t) && span > 0) ? 1.0 : Math.min(1.0, Math.max(0.0, (busy - r.busyMark) / span));
            r.busyMark = busy;
            r.markAt = t;
        }
        update(n, mode, t);
    }

    /** The load a replica puts on its neighbours: none while it loads, else its measured (or assumed) busy fraction. */
    private static double running(Replica r, double t) {
        return r.readyBy(t) ? r.load : 0;
    }
}
