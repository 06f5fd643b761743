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
    // released, but billed until a batch still running ends; a node released for good is not kept (a long run of
    // scale-ups and downs would keep every node it ever had): its billed seconds are folded into releasedSeconds
    private final List<Node> draining = new ArrayList<>();
    private long releasedCount;
    private double releasedSeconds;           // billed seconds (from scoreFrom) of the released nodes no longer kept
    private double releasedUpTo = Double.NEGATIVE_INFINITY; // the latest release among them
    private int nextNodeId;
    private int warmNodes;
    private long peakMemoryUsed;
    private double peakMemoryRatio;
    private long unplaceable;
    private long reconfigurations;
    /** MIG: the profiles this GPU offers, for judging which placement leaves the most room; empty otherwise. */
    private final List<MigProfile> migFamily;

    private CostLedger ledger;
    private double scoreFrom = Double.NEGATIVE_INFINITY; // the bill counts from here (after a warm-up)

    public SimulatedPool(PoolShape shape) {
        if (shape.isGpu() && shape.sharing() == SharingMode.MIG && MigProfile.forGpuMemory(shape.gpuMemoryBytes()).isEmpty())
            throw new IllegalArgumentException("pool " + shape.id() + ": MIG needs a 40 GB or 80 GB (A100/H100), 94 GB (H100 NVL), 96 GB (GH200) or 141 GB (H200) GPU");
        this.shape = shape;
        this.warmNodes = shape.minNodes();
        this.migFamily = shape.isGpu() && shape.sharing() == SharingMode.MIG ? MigProfile.forGpuMemory(shape.gpuMemoryBytes()) : List.of();
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
    /** Nodes released so far (those still draining a batch included). */
    public long releasedNodeCount() { return releasedCount; }
    /** Nodes the pool still holds: the active ones and those released but still draining a batch. */
    int nodesHeld() { return active.size() + draining.size(); }
    public double peakMemoryRatio() { return peakMemoryRatio; }
    public long peakMemoryUsed() { return peakMemoryUsed; }
    public long unplaceable() { return unplaceable; }
    /** MIG GPUs whose instances were laid out again (each drained first). */
    public long reconfigurations() { return reconfigurations; }

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
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-')) { // "FIRST-FIT" is not "fırst-fıt" in Turkish
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
        Replica r = placeOnExisting(modelIndex, spec, t);
        return r != null ? r : placeOnNewNode(modelIndex, spec, t);
    }

    /** Places a replica on an existing node chosen by the packer (one still provisioning included); null if none has room. */
    Replica placeOnExisting(int modelIndex, ModelSpec spec, double t) {
        ReplicaFootprint fit = fitFor(spec);
        Node chosen = choose(fit, packer, null, false, t);
        return chosen == null ? null : attach(chosen, modelIndex, spec, fit, t);
    }

    /** Whether the pool holds as many nodes as it may. */
    boolean atMaxNodes() {
        return active.size() >= shape.maxNodes();
    }

    /** Places a replica on a node provisioned for it; null (counted as unplaceable) if the pool is full or it fits no node. */
    Replica placeOnNewNode(int modelIndex, ModelSpec spec, double t) {
        ReplicaFootprint fit = fitFor(spec);
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
     * Places a replica on an existing ready node other than {@code avoid}, never provisioning: where a replica
     * stopped by a MIG reconfiguration starts again. Null when no other node has room.
     */
    Replica placeElsewhere(int modelIndex, ModelSpec spec, double t, Node avoid) {
        return placeElsewhere(modelIndex, spec, t, avoid, false);
    }

    /**
     * As {@link #placeElsewhere(int, ModelSpec, double, Node)}; {@code occupiedOnly}: only on a node that already
     * holds replicas, the target of a consolidation move. Moved onto an empty node (a spare kept warm), a replica
     * frees no node: the node it left stays as the next spare, and the next tick moved it back, a cold start a tick.
     */
    Replica placeElsewhere(int modelIndex, ModelSpec spec, double t, Node avoid, boolean occupiedOnly) {
        ReplicaFootprint fit = fitFor(spec);
        // best fit: fill the fullest nodes, so the emptiest can go
        Node chosen = choose(fit, Packer.BEST_FIT, avoid, true, occupiedOnly, t);
        return chosen == null ? null : attach(chosen, modelIndex, spec, fit, t);
    }

    private Node choose(ReplicaFootprint fit, Packer how, Node avoid, boolean readyOnly, double t) {
        return choose(fit, how, avoid, readyOnly, false, t);
    }

    /**
     * The existing node a replica goes to under {@code how}, skipping {@code avoid} (and nodes not yet ready, or
     * empty ones, if asked); null if none fits.
     */
    private Node choose(ReplicaFootprint fit, Packer how, Node avoid, boolean readyOnly, boolean occupiedOnly, double t) {
        Node chosen = null;
        double chosenLeft = Double.MAX_VALUE;
        for (Node n : active) {
            if (n == avoid || n.cordoned || (readyOnly && n.readyAt > t) || (occupiedOnly && n.residents.isEmpty()) || !fits(n, fit)) continue;
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
        if (r.mig != null) {
            n.migSlicesUsed -= r.mig.computeSlices();
            n.migMask &= ~r.mig.sliceMask(r.migStart);
        }
        boolean fits = fits(n, fitFor(spec));
        n.residents.add(at, r); // the same order back: the cost split sums residents in order
        n.gpuMemoryUsed += r.memory;
        n.computeUsed += r.compute;
        if (r.mig != null) {
            n.migSlicesUsed += r.mig.computeSlices();
            n.migMask |= r.mig.sliceMask(r.migStart);
        }
        return fits;
    }

    /** Shared-GPU nodes, least used first: the candidates to drain when demand falls. */
    List<Node> drainCandidates(double t) {
        List<Node> out = new ArrayList<>();
        if (!shape.isGpu() || shape.sharing() == SharingMode.EXCLUSIVE || active.size() < 2) return out;
        for (Node n : active) {
            if (n.residents.isEmpty() || n.cordoned || n.readyAt > t) continue;
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
            case MIG -> n.migSlicesUsed + f.mig().computeSlices() <= 7 && bestFreeStart(n.migMask, f.mig()) >= 0;
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

    /**
     * Where an instance of {@code p} goes on a GPU whose occupied memory slices are {@code mask}: of its free
     * placements, the one that leaves the GPU the most room, counted as the memory slices of every placement of
     * every profile still free afterwards (so a 1g goes to slice 6 of an empty GPU, not slice 0, where it would
     * block the 7g, the 4g and the 3g at 0); the higher start on a tie. -1 when no placement is free.
     */
    private int bestFreeStart(int mask, MigProfile p) {
        int best = -1, bestRoom = -1;
        for (int k = 0; k < p.placementCount(); k++) {
            int start = p.placement(k);
            if ((mask & p.sliceMask(start)) != 0) continue;
            int room = roomLeft(mask | p.sliceMask(start));
            if (room >= bestRoom) {
                best = start;
                bestRoom = room;
            }
        }
        return best;
    }

    /** The memory slices of every free placement of every profile of the GPU, when {@code mask} is occupied. */
    private int roomLeft(int mask) {
        int room = 0;
        for (MigProfile q : migFamily)
            for (int k = 0; k < q.placementCount(); k++)
                if ((mask & q.sliceMask(q.placement(k))) == 0) room += q.memorySlices();
        return room;
    }

    /**
     * A layout of instances of {@code profiles} together on one GPU: the start of each (in the list's order), or
     * null when no layout holds them all. Largest first, each at its placement that leaves the most room, and
     * backtracking when a later one finds none, so a layout is found whenever one exists.
     */
    int[] migLayout(List<MigProfile> profiles) {
        int slices = 0;
        for (MigProfile p : profiles) slices += p.computeSlices();
        if (slices > 7) return null;
        Integer[] order = new Integer[profiles.size()];
        for (int k = 0; k < order.length; k++) order[k] = k;
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt((Integer k) -> -profiles.get(k).memorySlices())
                .thenComparingInt(k -> -profiles.get(k).computeSlices()));
        int[] starts = new int[profiles.size()];
        return layoutFrom(profiles, order, 0, 0, starts) ? starts : null;
    }

    private boolean layoutFrom(List<MigProfile> profiles, Integer[] order, int depth, int mask, int[] starts) {
        if (depth == order.length) return true;
        MigProfile p = profiles.get(order[depth]);
        // candidate starts, most room left first (the higher start on a tie)
        List<int[]> cands = new ArrayList<>();
        for (int k = 0; k < p.placementCount(); k++) {
            int start = p.placement(k);
            if ((mask & p.sliceMask(start)) == 0) cands.add(new int[]{start, roomLeft(mask | p.sliceMask(start))});
        }
        cands.sort((a, b) -> a[1] != b[1] ? Integer.compare(b[1], a[1]) : Integer.compare(b[0], a[0]));
        for (int[] c : cands) {
            starts[order[depth]] = c[0];
            if (layoutFrom(profiles, order, depth + 1, mask | p.sliceMask(c[0]), starts)) return true;
        }
        return false;
    }

    /**
     * MIG: a GPU where a replica of {@code spec} finds no free placement, though its slices and memory are free,
     * and which laid out again would hold its instances and the newcomer's (the GPU is fragmented for it). Only a
     * ready GPU whose replicas are all loaded; of several, the one with the fewest replicas (the fewest to stop),
     * the oldest on a tie. Null when none.
     */
    Node fragmentedFor(ModelSpec spec, double t) {
        if (migFamily.isEmpty()) return null;
        ReplicaFootprint f = fitFor(spec);
        if (f.fitsNowhere()) return null;
        Node best = null;
        for (Node n : active) {
            if (n.readyAt > t || n.cordoned || n.residents.isEmpty() || fits(n, f)) continue;
            if (n.gpuMemoryUsed + f.memoryBytes() > shape.gpuMemoryBytes() || n.migSlicesUsed + f.mig().computeSlices() > 7) continue;
            if (best != null && n.residents.size() >= best.residents.size()) continue;
            boolean settled = true;
            for (Replica r : n.residents) settled &= r.readyAt <= t;
            if (settled && migLayoutWith(n, spec) != null) best = n;
        }
        return best;
    }

    /** Starts for a newcomer of {@code spec} (first) and then each of {@code n}'s replicas in order, laid out anew together; null if none. */
    int[] migLayoutWith(Node n, ModelSpec spec) {
        List<MigProfile> ps = new ArrayList<>(n.residents.size() + 1);
        ps.add(fitFor(spec).mig());
        for (Replica r : n.residents) ps.add(r.mig);
        return migLayout(ps);
    }

    /**
     * {@code n}'s replicas have been taken off it (their running batches end by {@code drainedBy}): its MIG
     * instances are destroyed and created again in a new layout, and it takes replicas once that is done, the
     * pool's reconfiguration delay after the drain. Until then it counts as not ready.
     */
    void beginReconfiguration(Node n, double drainedBy) {
        if (!n.residents.isEmpty()) throw new IllegalStateException("reconfiguring " + id() + "#" + n.id + " with replicas on it");
        n.readyAt = Math.max(n.readyAt, drainedBy) + shape.migReconfigurationDelay().toNanos() / 1e9;
        reconfigurations++;
    }

    /** Places a replica of {@code spec} on {@code n}, its MIG instance at memory slice {@code migStart}. */
    Replica attachAt(Node n, int modelIndex, ModelSpec spec, int migStart, double t) {
        ReplicaFootprint f = fitFor(spec);
        if ((n.migMask & f.mig().sliceMask(migStart)) != 0 || !f.mig().placeableAt(migStart))
            throw new IllegalStateException(f.mig().id() + " cannot start at slice " + migStart + " of " + id() + "#" + n.id);
        return attach(n, modelIndex, spec, f, t, migStart);
    }

    private Replica attach(Node n, int modelIndex, ModelSpec spec, ReplicaFootprint f, double t) {
        return attach(n, modelIndex, spec, f, t, f.mig() != null ? bestFreeStart(n.migMask, f.mig()) : -1);
    }

    private Replica attach(Node n, int modelIndex, ModelSpec spec, ReplicaFootprint f, double t, int migStart) {
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
        if (f.mig() != null) {
            if (migStart < 0 || (n.migMask & f.mig().sliceMask(migStart)) != 0)
                throw new IllegalStateException("no free placement for " + f.mig().id() + " on " + id() + "#" + n.id);
            r.migStart = migStart;
            n.migSlicesUsed += f.mig().computeSlices();
            n.migMask |= f.mig().sliceMask(migStart);
        }
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
        n.gpuMemoryUsed -= r.memory;
        n.computeUsed -= r.compute;
        if (r.mig != null) {
            n.migSlicesUsed -= r.mig.computeSlices();
            n.migMask &= ~r.mig.sliceMask(r.migStart);
        }
        n.drainedAt = Math.max(n.drainedAt, drainedAt);
        if (r.inFlight != null && drainedAt > t) { // still serving on it: lost with it if the node is taken back
            if (n.leftServing == null) n.leftServing = new ArrayList<>(2);
            n.leftServing.removeIf(x -> x.servingUntil() <= t);
            n.leftServing.add(r);
        }
        Interference.update(n, shape.sharing(), t);
        return n;
    }

    /** Releases {@code n} if it is empty, still active and above the warm minimum. */
    void releaseIfEmpty(Node n, double t) {
        if (n.residents.isEmpty() && !n.released() && active.size() > warmNodes) release(n, Math.max(t, n.drainedAt));
    }

    private void release(Node n, double t) {
        n.releasedAt = Math.max(t, n.provisionedAt);
        // attributed up to now; a drain tail after now is attributed as time passes (accrueAll), so none of it lies
        // ahead of the report row it is billed in, nor past the run's end
        if (ledger != null) ledger.accrue(n, Math.min(n.releasedAt, now));
        active.remove(n);
        releasedCount++;
        if (n.releasedAt > now) draining.add(n);
        else forget(n);
    }

    /** Folds the bill of {@code n}, released by now and attributed in full, into the pool's total, and lets it go. */
    private void forget(Node n) {
        releasedSeconds += n.billedSeconds(n.releasedAt, scoreFrom);
        releasedUpTo = Math.max(releasedUpTo, n.releasedAt);
    }

    /**
     * Nodes the bill pays for now: the active ones (provisioning included) and those released whose last batch
     * is still running (the bill runs to their release, so the cost per hour a policy sees must count them too).
     */
    public int nodesBilled() {
        pruneDrained();
        return active.size() + draining.size();
    }

    /** Drops the draining nodes released by now, their drain tails attributed in full first. */
    private void pruneDrained() {
        draining.removeIf(n -> {
            if (n.releasedAt > now) return false;
            if (ledger != null) ledger.accrue(n, n.releasedAt);
            forget(n);
            return true;
        });
    }

    /**
     * A spot node the provider takes back at {@code t} (now): released now, whatever the warm minimum or a batch still
     * running on it from a replica that left it earlier (billed until then, not to that batch's end). One already
     * released but still draining past {@code t} ({@link #drainingNode}) has its bill cut to {@code t}.
     */
    void reclaim(Node n, double t) {
        if (!n.released()) {
            release(n, t);
        } else if (n.releasedAt > t) {
            n.releasedAt = Math.max(t, n.provisionedAt);
            pruneDrained();
        }
    }

    /** The node with id {@code id} released but still billed (draining a batch) now, or null. */
    Node drainingNode(int id) {
        for (Node x : draining) if (x.id == id && x.releasedAt > now) return x;
        return null;
    }

    /** The active node with id {@code id}, or null (released, or never). */
    Node activeNode(int id) {
        for (Node n : active) if (n.id == id) return n;
        return null;
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
        // the released nodes no longer kept ended by now, before the bill starts: none of their time is scored
        if (t < releasedUpTo) throw new IllegalStateException("pool " + id() + ": scoring from " + t + ", before a release at " + releasedUpTo);
        scoreFrom = t;
        releasedSeconds = 0;
        peakMemoryUsed = 0;
        peakMemoryRatio = 0;
        for (Node n : active) {
            peakMemoryUsed = Math.max(peakMemoryUsed, n.gpuMemoryUsed);
            if (shape.isGpu()) peakMemoryRatio = Math.max(peakMemoryRatio, n.gpuMemoryUsed / (double) shape.gpuMemoryBytes());
        }
        unplaceable = 0;
        reconfigurations = 0;
    }

    /** Attributes the bill of every active node, and of every node still draining, up to {@code t}. */
    void accrueAll(double t) {
        if (ledger == null) return;
        for (Node n : active) ledger.accrue(n, t);
        for (Node n : draining) ledger.accrue(n, t);
    }

    /** Node-seconds billed until {@code t}, and GPU-seconds. */
    public double nodeSeconds(double t) {
        if (t < releasedUpTo) throw new IllegalArgumentException("pool " + id() + ": the bill until " + t + ", before a release at " + releasedUpTo + " already settled");
        double s = releasedSeconds;
        for (Node n : active) s += n.billedSeconds(t, scoreFrom);
        for (Node n : draining) s += n.billedSeconds(t, scoreFrom);
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
