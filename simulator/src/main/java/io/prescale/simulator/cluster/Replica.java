package io.prescale.simulator.cluster;

/** One replica of one model on one GPU (or CPU node). Mutable: the simulator's hot path owns it. */
public final class Replica {
    final int model;
    final Node node;
    final double share;      // share of the node it is billed for
    final double startedAt;  // placement time: billing of its share starts here
    double readyAt;        // node ready + model load
    double freeAt;           // when its current batch ends (or readyAt before it serves); continuous: its first free slot
    double[] slotEnd;        // continuous batching only: when each slot's request is done
    // what is known of when its running batch ends (ModelServer.estimatedEnd): estA + estB x the model's service
    // estimate, estA its start plus the stretch and slowdown it runs at times its longest known part, estB that stretch
    // and slowdown (0 before its first batch); per slot with continuous batching
    double estA, estB;
    double[] slotA, slotB;
    int lastBatch;           // requests in the batch ending at freeAt
    double slowdown = 1.0;   // interference from co-located replicas
    double load = 1.0;       // busy fraction over the last control interval (1 until measured: the cautious guess)
    double busyTotal;        // seconds of batches dispatched on it, the running one in full
    double busyEnd;          // when its last dispatched batch ends
    double busyMark;         // busy seconds up to the last load measurement, and when that was
    double markAt = Double.NEGATIVE_INFINITY;
    int heapIndex;
    InFlight inFlight;       // what it runs, where replicas can be lost (ModelServer.enableLossTracking); else null
    double gpuWeight;        // GPUs it holds: share x GPUs per node
    io.prescale.core.resource.MigProfile mig;
    int migStart = -1;       // the memory slice its MIG instance starts at (one of its profile's placements)
    long memory;
    double compute;
    double computeNeed = 1;  // the GPU compute share the model needs (its catalog gpuComputeShare)

    Replica(int model, Node node, double share, double startedAt, double readyAt) {
        this.model = model;
        this.node = node;
        this.share = share;
        this.startedAt = startedAt;
        this.readyAt = readyAt;
        this.freeAt = readyAt;
    }

    /**
     * Busy seconds up to {@code t}, for {@code t} after the last dispatch: batches on a replica run one after
     * another, so only the last one can reach past {@code t}.
     */
    double busyUpTo(double t) {
        return busyTotal - Math.max(0, busyEnd - t);
    }

    /** When everything it has started is done: its batch, or with continuous batching its last busy slot. */
    double servingUntil() {
        return slotEnd == null ? freeAt : Math.max(freeAt, busyEnd);
    }

    public boolean readyBy(double t) {
        return readyAt <= t;
    }

    public Node node() {
        return node;
    }
}
