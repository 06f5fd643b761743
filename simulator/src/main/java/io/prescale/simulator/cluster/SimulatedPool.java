package io.prescale.simulator.cluster;

import io.prescale.core.model.ModelSpec;
import io.prescale.core.resource.MigProfile;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.ReplicaFootprint;
import io.prescale.core.resource.ResourcePool;
import io.prescale.core.resource.SharingMode;

import java.util.ArrayList;
import java.util.List;

/**
 * A pool of one machine shape: nodes are provisioned on demand (paid from the request, usable after the
 * provisioning delay), replicas are packed onto them by the pool's sharing mode without ever exceeding a
 * GPU's memory, and a node is released once it is empty and above the pool's warm minimum.
 */
public final class SimulatedPool implements ResourcePool {
    private final PoolShape shape;
    private final List<Node> active = new ArrayList<>();
    private final List<Node> released = new ArrayList<>();
    private final List<Node> draining = new ArrayList<>(); // released, but billed until a batch still running ends
    private int nextNodeId;
    private int warmNodes;
    private long peakMemoryUsed;
    private double peakMemoryRatio;
    private long unplaceable;

    private CostLedger ledger;
    private double scoreFrom = Double.NEGATIVE_INFINITY; // the bill counts from here (after a warm-up)

    public SimulatedPool(PoolShape shape) {
        if (shape.isGpu() && shape.sharing() == SharingMode.MIG && MigProfile.forGpuMemory(shape.gpuMemoryBytes()).isEmpty())
            throw new IllegalArgumentException("pool " + shape.id() + ": MIG needs an 80 GB (A100/H100) or 141 GB (H200) GPU");
        this.shape = shape;
        this.warmNodes = shape.minNodes();
    }

    void setLedger(CostLedger ledger) {
        this.ledger = ledger;
    }

    @Override public PoolShape shape() { return shape; }

    public String id() { return shape.id(); }

    double now; // set by the cluster before each operation

    @Override
    public int nodesReady() {
        int n = 0;
        for (Node x : active) if (x.readyAt <= now) n++;
        return n;
    }

    @Override
    public int nodesProvisioning() {
        return active.size() - nodesReady();
    }

    @Override
    public long gpuMemoryUsedBytes() {
        long m = 0;
        for (Node x : active) m += x.gpuMemoryUsed;
        return m;
    }

    @Override
    public long gpuMemoryCapacityBytes() {
        return (long) active.size() * shape.gpuMemoryBytes() * Math.max(1, shape.gpusPerNode());
    }

    public List<Node> activeNodes() { return active; }
    public List<Node> releasedNodes() { return released; }
    public double peakMemoryRatio() { return peakMemoryRatio; }
    public long peakMemoryUsed() { return peakMemoryUsed; }
    public long unplaceable() { return unplaceable; }

    /** Active nodes hosting at least one replica. */
    public int nodesInUse() {
        int n = 0;
        for (Node x : active) if (!x.residents.isEmpty()) n++;
        return n;
    }

    /** How a replica picks among the nodes it fits on. */
    public enum Packer {
        /** The first node (oldest first) with room: simple, spreads load over old nodes. */
        FIRST_FIT,
        /**
         * First fit, with the replicas one control tick starts placed largest first (by the larger of their
         * memory and compute share), after that tick's scale-downs have freed their room: first-fit decreasing,
         * applied per tick because replicas arrive online (the ordering is {@link SimulatedCluster#applyAll}'s).
         */
        FIRST_FIT_DECREASING,
        /** The node left with the least free GPU memory (CPU share for CPU pools): packs tight, frees whole nodes sooner. */
        BEST_FIT,
        /**
         * Under MPS, the first node with the memory where the compute its replicas were busy with over the last
         * control interval, plus the newcomer's full share, fits in the GPU: SM caps of idle replicas are
         * oversubscribed (an MPS limit caps a client, it reserves nothing), and the interference model charges
         * the slowdown when they do run together. First fit in the other modes (time slicing is bound by
         * memory alone either way).
         */
        LOAD_AWARE;

        public static Packer parse(String s) {
            return switch (s.trim().toLowerCase().replace('_', '-')) {
                case "first-fit" -> FIRST_FIT;
                case "first-fit-decreasing", "ffd" -> FIRST_FIT_DECREASING;
                case "best-fit" -> BEST_FIT;
                case "load-aware" -> LOAD_AWARE;
                default -> throw new IllegalArgumentException("unknown packer '" + s + "' (first-fit, first-fit-decreasing, best-fit, load-aware)");
            };
        }
    }

    private Packer packer = Packer.FIRST_FIT;

    void setPacker(Packer p) {
        this.packer = p;
    }

    /** Places a replica of {@code spec} at {@code t} on an existing node chosen by the packer, else a new node. Null if the pool is full. */
    Replica place(int modelIndex, ModelSpec spec, double t) {
        ReplicaFootprint fit = fitFor(spec);
        Node chosen = choose(fit, packer, null, false, t);
        if (chosen != null) return attach(chosen, modelIndex, spec, fit, t);
        if (active.size() >= shape.maxNodes()) {
            unplaceable++;
            return null;
        }
        Node n = provision(t);
        if (!fits(n, fit)) {
            unplaceable++;
            release(n, t);
            return null;
        }
        return attach(n, modelIndex, spec, fit, t);
    }

    /**
     * Places a replica on an existing node other than {@code avoid}, never provisioning: the target of a
     * migration when nodes are consolidated. Null when no other node has room.
     */
    Replica placeElsewhere(int modelIndex, ModelSpec spec, double t, Node avoid) {
        ReplicaFootprint fit = fitFor(spec);
        // best fit: fill the fullest nodes, so the emptiest can go
        Node chosen = choose(fit, Packer.BEST_FIT, avoid, true, t);
        return chosen == null ? null : attach(chosen, modelIndex, spec, fit, t);
    }

    /** The existing node a replica goes to under {@code how}, skipping {@code avoid} (and nodes not yet ready if asked); null if none fits. */
    private Node choose(ReplicaFootprint fit, Packer how, Node avoid, boolean readyOnly, double t) {
        Node chosen = null;
        double chosenLeft = Double.MAX_VALUE;
        for (Node n : active) {
            if (n == avoid || (readyOnly && n.readyAt > t) || !fits(n, fit)) continue;
            if (how != Packer.BEST_FIT) return n;
            double left = shape.isGpu() ? shape.gpuMemoryBytes() - n.gpuMemoryUsed - (double) fit.memoryBytes() : 1 - n.computeUsed - fit.compute();
            if (left < chosenLeft) {
                chosen = n;
                chosenLeft = left;
            }
        }
        return chosen;
    }

    /** Whether a replica of {@code spec} would fit on {@code r}'s node once {@code r} has left it. */
    boolean fitsInPlaceOf(Replica r, ModelSpec spec) {
        Node n = r.node;
        int at = n.residents.indexOf(r);
        n.residents.remove(at);
        n.gpuMemoryUsed -= r.memory;
        n.computeUsed -= r.compute;
        if (r.mig != null) n.migSlicesUsed -= r.mig.computeSlices();
        boolean fits = fits(n, fitFor(spec));
        n.residents.add(at, r); // the same order back: the cost split sums residents in order
        n.gpuMemoryUsed += r.memory;
        n.computeUsed += r.compute;
        if (r.mig != null) n.migSlicesUsed += r.mig.computeSlices();
        return fits;
    }

    /** Shared-GPU nodes, least used first: the candidates to drain when demand falls. */
    List<Node> drainCandidates(double t) {
        List<Node> out = new ArrayList<>();
        if (!shape.isGpu() || shape.sharing() == SharingMode.EXCLUSIVE || active.size() < 2) return out;
        for (Node n : active) {
            if (n.residents.isEmpty() || n.readyAt > t) continue;
            boolean settled = true;
            for (Replica r : n.residents) settled &= r.readyAt <= t;
            if (settled) out.add(n);
        }
        out.sort(java.util.Comparator.comparingDouble((Node n) -> n.residents.stream().mapToDouble(r -> r.share).sum())
                .thenComparingInt(n -> n.id));
        return out;
    }

    Node provision(double t) {
        Node n = new Node(nextNodeId++, this, t, t + shape.provisioningDelay().toNanos() / 1e9);
        active.add(n);
        return n;
    }

    /** What a replica takes from a node under this pool's sharing mode (the same footprint the budget policy prices). */
    ReplicaFootprint fitFor(ModelSpec spec) {
        return ReplicaFootprint.of(shape, spec.needs());
    }

    private boolean fits(Node n, ReplicaFootprint f) {
        if (!shape.isGpu()) return n.computeUsed + f.compute() <= 1 + 1e-9;
        if (f.fitsNowhere() || n.gpuMemoryUsed + f.memoryBytes() > shape.gpuMemoryBytes()) return false;
        return switch (shape.sharing()) {
            case EXCLUSIVE -> n.residents.isEmpty();
            case MIG -> n.migSlicesUsed + f.mig().computeSlices() <= 7 && countProfile(n, f.mig()) < f.mig().maxInstances();
            case MPS -> (packer == Packer.LOAD_AWARE ? busyCompute(n) : n.computeUsed) + f.compute() <= 1 + 1e-9;
            case TIME_SLICED -> true;
        };
    }

    /** The compute a node's replicas were busy with over the last control interval (see {@link Interference}). */
    private static double busyCompute(Node n) {
        double c = 0;
        for (Replica r : n.residents) c += r.compute * r.load;
        return c;
    }

    private static int countProfile(Node n, MigProfile p) {
        int c = 0;
        for (Replica r : n.residents) if (r.mig == p) c++;
        return c;
    }

    private Replica attach(Node n, int modelIndex, ModelSpec spec, ReplicaFootprint f, double t) {
        double ready = Math.max(t, n.readyAt) + spec.loadTime().toNanos() / 1e9;
        if (ledger != null) ledger.accrue(n, t);
        Replica r = new Replica(modelIndex, n, f.share(), t, ready);
        r.mig = f.mig();
        r.memory = f.fitsNowhere() ? 0 : f.memoryBytes();
        r.compute = f.compute();
        r.computeNeed = shape.isGpu() ? Math.max(1e-3, spec.needs().gpuComputeShare()) : f.compute();
        r.gpuWeight = f.share() * shape.gpusPerNode();
        n.residents.add(r);
        n.gpuMemoryUsed += r.memory;
        n.computeUsed += r.compute;
        if (f.mig() != null) n.migSlicesUsed += f.mig().computeSlices();
        if (shape.isGpu()) {
            if (n.gpuMemoryUsed > shape.gpuMemoryBytes())
                throw new IllegalStateException("placement exceeded GPU memory on " + id() + "#" + n.id);
            peakMemoryUsed = Math.max(peakMemoryUsed, n.gpuMemoryUsed);
            peakMemoryRatio = Math.max(peakMemoryRatio, n.gpuMemoryUsed / (double) shape.gpuMemoryBytes());
        }
        Interference.update(n, shape.sharing(), t);
        return r;
    }

    /** Re-measures how busy co-located replicas were since the last call and sets their slowdowns. */
    void measureInterference(double t) {
        if (!shape.isGpu() || (shape.sharing() != SharingMode.MPS && shape.sharing() != SharingMode.TIME_SLICED)) return;
        for (Node n : active) if (!n.residents.isEmpty()) Interference.measure(n, shape.sharing(), t);
    }

    /** Takes a replica off its node; the node is released once empty and above the warm minimum. */
    void detach(Replica r, double t, double drainedAt) {
        releaseIfEmpty(vacate(r, t, drainedAt), t);
    }

    /** Takes a replica off its node and keeps the node, even empty: another replica is about to take its place. */
    Node vacate(Replica r, double t, double drainedAt) {
        Node n = r.node;
        if (ledger != null) ledger.accrue(n, t);
        n.residents.remove(r);
        n.lastModel = r.model;
        n.gpuMemoryUsed -= r.memory;
        n.computeUsed -= r.compute;
        if (r.mig != null) n.migSlicesUsed -= r.mig.computeSlices();
        n.drainedAt = Math.max(n.drainedAt, drainedAt);
        Interference.update(n, shape.sharing(), t);
        return n;
    }

    /** Releases {@code n} if it is empty, still active and above the warm minimum. */
    void releaseIfEmpty(Node n, double t) {
        if (n.residents.isEmpty() && !n.released() && active.size() > warmNodes) release(n, Math.max(t, n.drainedAt));
    }

    private void release(Node n, double t) {
        n.releasedAt = Math.max(t, n.provisionedAt);
        if (ledger != null) ledger.accrue(n, n.releasedAt); // the drain tail is settled now
        active.remove(n);
        released.add(n);
        if (n.releasedAt > now) draining.add(n);
    }

    /**
     * Nodes the bill pays for now: the active ones (provisioning included) and those released whose last batch
     * is still running (the bill runs to their release, so the cost per hour a policy sees must count them too).
     */
    public int nodesBilled() {
        draining.removeIf(n -> n.releasedAt <= now);
        return active.size() + draining.size();
    }

    /** Keep at least {@code nodes} nodes, provisioning now if short; extra empty nodes go on the next release check. */
    void keepWarm(int nodes, double t) {
        warmNodes = Math.max(shape.minNodes(), Math.min(nodes, shape.maxNodes()));
        while (active.size() < warmNodes) provision(t);
        for (Node n : new ArrayList<>(active)) {
            if (active.size() <= warmNodes) break;
            if (n.residents.isEmpty()) release(n, Math.max(t, n.drainedAt));
        }
    }

    /** Starts the bill at {@code t}: the warm-up before it is not scored. */
    void startScoring(double t) {
        scoreFrom = t;
        peakMemoryUsed = 0;
        peakMemoryRatio = 0;
        for (Node n : active) {
            peakMemoryUsed = Math.max(peakMemoryUsed, n.gpuMemoryUsed);
            if (shape.isGpu()) peakMemoryRatio = Math.max(peakMemoryRatio, n.gpuMemoryUsed / (double) shape.gpuMemoryBytes());
        }
        unplaceable = 0;
    }

    /** Released nodes whose release (drain tail) lies after {@code t}: their bill from {@code t} must be re-attributed. */
    List<Node> releasedAfter(double t) {
        List<Node> out = new ArrayList<>();
        for (Node n : released) if (n.releasedAt > t) out.add(n);
        return out;
    }

    /** Attributes every active node's bill up to {@code t}. */
    void accrueAll(double t) {
        if (ledger != null) for (Node n : active) ledger.accrue(n, t);
    }

    /** Node-seconds billed until {@code t}, and GPU-seconds. */
    public double nodeSeconds(double t) {
        double s = 0;
        for (Node n : active) s += n.billedSeconds(t, scoreFrom);
        for (Node n : released) s += n.billedSeconds(t, scoreFrom);
        return s;
    }

    public double gpuSeconds(double t) {
        return nodeSeconds(t) * shape.gpusPerNode();
    }

    public double costUsd(double t) {
        return nodeSeconds(t) / 3600.0 * shape.pricePerHour();
    }

    boolean sharing() {
        return shape.sharing() != SharingMode.EXCLUSIVE;
    }
}
