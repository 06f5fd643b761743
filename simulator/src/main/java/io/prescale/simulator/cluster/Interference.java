package io.prescale.simulator.cluster;

import io.prescale.core.resource.SharingMode;

/**
 * Slowdown of co-located replicas. MIG partitions are isolated: no interference, but a slice with fewer SMs
 * than the model needs serves proportionally slower (need / slice). Under MPS and time slicing
 * a replica slows when the compute shares on its GPU add up to more than the GPU (the GPU is divided),
 * plus a per-neighbour overhead: 5 % under MPS (shared L2/memory bandwidth) and 10 % under time slicing
 * (context switches). These are coarse figures in the range reported for co-located DNN inference
 * (e.g. Gpulet, USENIX ATC'22; "MIG-serving", 2021); the live runner's measurements can replace them.
 */
final class Interference {
    private Interference() {}

    static final double MPS_NEIGHBOUR_OVERHEAD = 0.05;
    static final double TIME_SLICE_NEIGHBOUR_OVERHEAD = 0.10;

    static void update(Node n, SharingMode mode) {
        if (mode == SharingMode.MIG) {
            // isolated, but a slice smaller than the compute the model needs runs proportionally slower
            for (Replica r : n.residents) r.slowdown = Math.max(1.0, r.computeNeed / r.compute);
            return;
        }
        int k = n.residents.size();
        double factor = switch (mode) {
            case EXCLUSIVE, MIG -> 1.0;
            case MPS -> Math.max(1.0, n.computeUsed) * (1 + MPS_NEIGHBOUR_OVERHEAD * Math.max(0, k - 1));
            case TIME_SLICED -> Math.max(1.0, n.computeUsed) * (1 + TIME_SLICE_NEIGHBOUR_OVERHEAD * Math.max(0, k - 1));
        };
        for (Replica r : n.residents) r.slowdown = factor;
    }
}
