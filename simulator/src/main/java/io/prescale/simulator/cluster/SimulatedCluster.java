package io.prescale.simulator.cluster;

import io.prescale.core.loop.Cluster;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PoolObservation;
import io.prescale.core.resource.PoolShape;
import io.prescale.simulator.metrics.ModelMetrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated cluster the IRM loop drives: pools of nodes, one {@link ModelServer} per model, and the
 * desired replica count per model, reconciled with the real delays (node provisioning, model load).
 * Times are seconds since the workload origin; {@link #origin} maps them to instants for the policy.
 */
public final class SimulatedCluster implements Cluster {

    /**
     * What the policy is told of model {@code i} at a tick: its spec, whose latency profile may be calibrated to the
     * work its requests bring (the server itself serves each request with its own work and the spec it was built with).
     * Asked once per model per tick, after the server has been advanced to the tick.
     */
    public interface PolicyView {
        ModelSpec spec(int model, ModelServer server);

        /** The spec the cluster was built with. */
        PolicyView AS_BUILT = (i, s) -> s.spec;
    }

    /** Where the trace has no data for a model (an outage, a collection gap): its arrivals there are no demand. */
    public interface Gaps {
        /** Whether the trace has no data for model {@code model} for some of [{@code from}, {@code to}) (seconds; false when empty). */
        boolean within(int model, double from, double to);

        Gaps NONE = (i, from, to) -> false;
    }

    private final Instant origin;
    private final Map<String, SimulatedPool> pools = new LinkedHashMap<>();
    private final ModelServer[] servers;
    private final Map<String, Integer> byId = new HashMap<>();
    private final int[] desired;
    private final Gaps gaps;
    private PolicyView view = PolicyView.AS_BUILT;
    private double now;
    private double lastObserve = Double.NaN;
    private long coldStarts;
    private long failures;
    private long notes;
    private String lastNote = "";
    private long preemptions;
    private final CostLedger ledger;
    /** Consolidation in progress: {old replica, its replacement on a fuller node}; the old one stops when the new one is ready. */
    private final List<Replica[]> migrations = new ArrayList<>();
    private final int[] migrating;
    private boolean consolidate;
    private long migrationsDone;
    /**
     * Per model, as of the last tick: replicas the policy wanted but its budget held back (its note's
     * {@link Decision.NoOp#heldBack}), and replicas it was granted that found no room (desired above what runs);
     * {@link #accrueShortfall} turns them into replica-seconds.
     */
    private final int[] budgetShort;
    private final int[] capacityShort;
    private double shortSince = Double.NaN;
    private long spotInterruptions;

    public SimulatedCluster(Instant origin, Collection<PoolShape> shapes, List<ModelSpec> models, Gaps gaps) {
        this.origin = origin;
        for (PoolShape s : shapes) pools.put(s.id(), new SimulatedPool(s));
        this.servers = new ModelServer[models.size()];
        for (int i = 0; i < models.size(); i++) {
            ModelSpec m = models.get(i);
            SimulatedPool p = pools.get(m.pool());
            if (p == null) throw new IllegalArgumentException("model " + m.id() + ": no pool '" + m.pool() + "' in the pool catalog");
            servers[i] = new ModelServer(i, m, m.latency());
            byId.put(m.id(), i);
        }
        this.desired = new int[models.size()];
        this.migrating = new int[models.size()];
        this.budgetShort = new int[models.size()];
        this.capacityShort = new int[models.size()];
        this.ledger = new CostLedger(servers);
        for (SimulatedPool p : pools.values()) p.setLedger(ledger);
        this.gaps = java.util.Objects.requireNonNull(gaps, "gaps");
    }

    /** Sets what policies are told of each model's spec (by default the spec the cluster was built with). */
    public void setPolicyView(PolicyView v) {
        this.view = java.util.Objects.requireNonNull(v, "view");
    }

    /**
     * Serves model {@code i} with iteration-level batching: a request joins a running batch when a slot frees,
     * as LLM engines do (see {@link ModelServer}).
     */
    public void enableContinuousBatching(int i) {
        servers[i].enableContinuousBatching();
    }

    public ModelServer server(int i) { return servers[i]; }
    public int models() { return servers.length; }
    public Collection<SimulatedPool> pools() { return pools.values(); }
    public long coldStarts() { return coldStarts; }

    /** Moves the cluster's clock (the engine owns time). */
    public void setNow(double t) {
        now = t;
        for (SimulatedPool p : pools.values()) p.now = t;
    }

    public double now() { return now; }

    /**
     * What the policy is told at {@code at}, of the interval since the last observation: only what is known by then.
     * Requests served count when they finish ({@link ModelServer#closeTick}), not when they are dispatched, and the
     * demand is masked where the trace has no data in that interval, not in the one that starts at {@code at}.
     */
    @Override
    public Observation observe(Instant at) {
        double t = seconds(at);
        setNow(t);
        double from = Double.isNaN(lastObserve) ? t : lastObserve;
        double dt = t - from;
        lastObserve = t;
        for (SimulatedPool p : pools.values()) p.measureInterference(t);
        finishMigrations();
        if (consolidate) consolidateOneNode();
        List<ModelObservation> models = new ArrayList<>(servers.length);
        for (int i = 0; i < servers.length; i++) {
            reconcile(i);
            ModelServer s = servers[i];
            ModelMetrics m = s.metrics;
            int ready = s.replicasReady(t);
            double[] avg = s.closeTick(t, dt);
            int inService = s.inService();
            double conc = avg[0];
            double busy = ready > 0 ? Math.min(1.0, avg[1] / ready) : Double.NaN;
            double p99 = m.tickQuantileSeconds(0.99);
            long done = m.tickServed + m.tickTimedOut;
            double slo = done > 0 ? m.tickSloMet / (double) done : Double.NaN;
            // a consolidation's replacement (loading; its old replica still serves and counts as ready) is the cluster's
            // own move: the policy sees the replicas it asked for, as reconcile counts them, or a policy holding what
            // it sees would ask for the replacement as one more replica
            models.add(new ModelObservation(view.spec(i, s), m.tickArrived, s.queued(), inService, conc, busy, p99, slo,
                    ready, s.replicaCount() - migrating[i] - ready, m.tickDropped, m.tickTimedOut, gaps.within(i, from, t)));
            m.resetTick();
        }
        List<PoolObservation> ps = new ArrayList<>(pools.size());
        for (SimulatedPool p : pools.values()) {
            ps.add(new PoolObservation(p.shape(), p.nodesReady(), p.nodesProvisioning(), p.gpuMemoryUsedBytes(),
                    p.gpuMemoryCapacityBytes(), p.nodesBilled() * p.shape().pricePerHour(), p.nodesInUse()));
        }
        return new Observation(at, Duration.ofNanos(Math.round(dt * 1e9)), models, ps);
    }

    @Override
    public void apply(Decision d) {
        int i = setDesired(d);
        if (i >= 0) reconcile(i);
        else applyToPool(d);
    }

    /**
     * In order, except under first-fit decreasing: then the tick's replica counts are set first, models
     * scaling down are reconciled before those scaling up (their room is free for the newcomers), and the
     * newcomers are placed largest replica first; pool decisions (spare nodes) follow, as they follow the
     * model decisions in order.
     */
    @Override
    public void applyAll(List<Decision> decisions) {
        accrueShortfall(now);
        java.util.Arrays.fill(budgetShort, 0);
        applyInOrder(decisions);
        for (int i = 0; i < servers.length; i++)
            capacityShort[i] = Math.max(0, desired[i] - (servers[i].replicaCount() - migrating[i]));
    }

    /** A tick's decisions, placed in the packer's order (see {@link #applyAll}). */
    private void applyInOrder(List<Decision> decisions) {
        if (packer != SimulatedPool.Packer.FIRST_FIT_DECREASING) {
            for (Decision d : decisions) apply(d);
            return;
        }
        java.util.LinkedHashSet<Integer> touched = new java.util.LinkedHashSet<>();
        for (Decision d : decisions) {
            int i = setDesired(d);
            if (i >= 0) touched.add(i);
        }
        List<Integer> order = new ArrayList<>(touched);
        // stable: scale-downs first, then the largest replicas; equal sizes keep the policy's order
        order.sort(java.util.Comparator.comparingInt((Integer i) -> desired[i] < servers[i].replicaCount() ? 0 : 1)
                .thenComparing(java.util.Comparator.comparingDouble((Integer i) -> replicaSize(i)).reversed()));
        for (int i : order) reconcile(i);
        for (Decision d : decisions) if (modelOf(d) < 0) applyToPool(d);
    }

    /** Sets the desired replica count a model decision asks for and returns the model's index; -1 for other decisions. */
    private int setDesired(Decision d) {
        int i = modelOf(d);
        if (d instanceof Decision.ScaleModel s) {
            ModelSpec spec = servers[i].spec;
            desired[i] = Math.max(spec.minReplicas(), Math.min(spec.maxReplicas(), s.replicas()));
        } else if (d instanceof Decision.Preload) {
            desired[i] = Math.max(desired[i], 1);
        } else if (d instanceof Decision.Evict) {
            desired[i] = servers[i].spec.minReplicas();
        }
        return i;
    }

    /** The index of the model a decision names; -1 for pool decisions and notes. */
    private int modelOf(Decision d) {
        if (d instanceof Decision.ScaleModel s) return index(s.model());
        if (d instanceof Decision.Preload p) return index(p.model());
        if (d instanceof Decision.Evict e) return index(e.model());
        return -1;
    }

    private void applyToPool(Decision d) {
        if (d instanceof Decision.ResizePool r) {
            SimulatedPool p = pools.get(r.pool());
            if (p == null) throw new IllegalArgumentException("decision names unknown pool '" + r.pool() + "'");
            p.keepWarm(r.nodes(), now);
        } else if (d instanceof Decision.NoOp n) {
            notes++;
            lastNote = n.reason();
            n.heldBack().forEach((model, k) -> {
                Integer i = byId.get(model);
                if (i != null) budgetShort[i] += k;
            });
        } else {
            throw new IllegalStateException("unhandled decision " + d);
        }
    }

    /** The share of a node one replica of model {@code i} takes in its pool, as the pool packs it. */
    private double replicaSize(int i) {
        ModelSpec spec = servers[i].spec;
        return pools.get(spec.pool()).fitFor(spec).share();
    }

    private SimulatedPool.Packer packer = SimulatedPool.Packer.FIRST_FIT;

    /** How replicas are packed onto nodes in every pool. */
    public void setPacker(SimulatedPool.Packer packer) {
        this.packer = packer;
        for (SimulatedPool p : pools.values()) p.setPacker(packer);
    }

    /**
     * Lets requests that find no replica start one at once (Knative activator, serverless platforms): such a request is
     * held at its source ({@link ModelServer#holds}) and the engine calls {@link #startFromZero} at its time.
     */
    public void enableActivator() {
        for (ModelServer s : servers) s.enableActivator();
    }

    /**
     * The run starts from a running system: what exists now is ready now (no cold start at t = 0). The replicas
     * placed so far load nothing, so they are not counted as cold starts either.
     */
    public void warmStart() {
        for (SimulatedPool p : pools.values()) for (Node n : p.activeNodes()) n.readyAt = Math.min(n.readyAt, now);
        for (ModelServer s : servers) {
            int warm = s.warmStart(now);
            s.metrics.coldStarts -= warm;
            coldStarts -= warm;
        }
    }

    /** A request met a model with no replica and the policy starts one on arrival (activator). */
    public void startFromZero(int i, double t) {
        setNow(t);
        desired[i] = Math.max(desired[i], 1);
        reconcile(i);
    }

    private int index(String model) {
        Integer i = byId.get(model);
        if (i == null) throw new IllegalArgumentException("decision names unknown model '" + model + "'");
        return i;
    }

    /** Starts or stops replicas of model {@code i} until it has its desired count (placement permitting). */
    private void reconcile(int i) {
        ModelServer s = servers[i];
        int want = desired[i];
        if (migrating[i] > 0 && want < s.replicaCount() - migrating[i]) cancelMigrations(i); // scaling down wins
        int have = s.replicaCount() - migrating[i];
        if (want > have) {
            SimulatedPool pool = pools.get(s.spec.pool());
            for (int k = have; k < want; k++) {
                Replica r = pool.placeOnExisting(i, s.spec, now);
                if (r == null && (consolidate || pool.atMaxNodes())) r = reconfigureFor(i, pool);
                if (r == null) r = pool.placeOnNewNode(i, s.spec, now);
                if (r == null) {
                    Node freed = preemptFor(i, pool);
                    if (freed != null) {
                        r = pool.place(i, s.spec, now);
                        pool.releaseIfEmpty(freed, now); // (a safeguard: the victim was chosen for making room there)
                    }
                }
                if (r == null) break; // the pool is full: retried at the next tick
                s.add(r);
                coldStarts++;
                s.metrics.coldStarts++;
            }
        } else if (want < have) {
            // no migration of this model is left to end: scaling down cancelled them above
            for (Replica r : s.chooseVictims(have - want, now)) stop(s, r);
        }
    }

    /**
     * MIG: no GPU of the pool has a free placement for a replica of model {@code i}. Where a GPU laid out again
     * would hold it with the replicas it has (it is fragmented: the free slices are there, but no placement of the
     * newcomer's profile is free), that GPU is reconfigured, which drains it: each of its replicas is stopped (a
     * running batch finishes first), the GPU takes no replica until the pool's reconfiguration delay after the
     * last batch ends, and then holds the new layout. Each stopped replica is started again at once, on another
     * GPU with a free placement (as a consolidation moves a replica) or else on this GPU in the new layout, paying
     * its load time there after the reconfiguration; the newcomer too. Their models keep their replica counts (a
     * stopped replica that was half of a consolidation's move is not started again: the other half stands for it).
     * It is worth doing only instead of a new GPU that cannot be had (the pool is at its maximum) or when
     * consolidation is on, which trades SLO margin for GPU-hours; otherwise a new GPU is provisioned and nothing
     * that serves is stopped. Null when no GPU of the pool is fragmented for it.
     */
    private Replica reconfigureFor(int i, SimulatedPool pool) {
        ModelSpec spec = servers[i].spec;
        Node n = pool.fragmentedFor(spec, now);
        if (n == null) return null;
        int[] layout = pool.migLayoutWith(n, spec); // the newcomer's start, then each resident's, in order
        List<Replica> old = List.copyOf(n.residents);
        boolean[] standsIn = new boolean[old.size()]; // half of a consolidation's pair: the other half stands for it
        double drained = now;
        for (int k = 0; k < old.size(); k++) {
            Replica r = old.get(k);
            double by = drainedBy(r);
            drained = Math.max(drained, by);
            servers[r.model].remove(r, now); // its busy time ends as it leaves the GPU, as a preempted one's does
            standsIn[k] = endMigrationOf(r);
            pool.vacate(r, now, by);
        }
        pool.beginReconfiguration(n, drained);
        Replica mine = pool.attachAt(n, i, spec, layout[0], now);
        for (int k = 0; k < old.size(); k++) {
            if (standsIn[k]) continue;
            ModelServer s = servers[old.get(k).model];
            Replica back = pool.placeElsewhere(s.index, s.spec, now, n);
            if (back == null) back = pool.attachAt(n, s.index, s.spec, layout[k + 1], now);
            s.add(back);
            s.metrics.coldStarts++;
            coldStarts++;
        }
        return mine;
    }

    /** MIG GPUs reconfigured (each drained first) since scoring began. */
    public long migReconfigurations() {
        long n = 0;
        for (SimulatedPool p : pools.values()) n += p.reconfigurations();
        return n;
    }

    /**
     * The pool is full: stops one replica of a lower-priority model on it so a higher-priority model can be
     * placed. Priority is dynamic ({@link #rank}): a model at risk of missing its SLO counts one class higher,
     * at risk when its requests waiting now would miss their deadlines at the replicas it has (negative deadline
     * slack) or when it has met less than its SLO target so far. The victim is from the lowest class, and within
     * it the model with the most deadline slack (nothing waiting: the most), then the most attainment slack; its
     * least busy replica. Only a replica whose leaving makes room for the newcomer on its node is taken (on a
     * shared GPU, the next one in that order that does): stopping one that frees too little would cost the
     * victim a replica and place nothing, and the victim would take the room back at the next tick. The victim
     * keeps its desired count and gets its replica back when capacity frees up. Returns the node the victim
     * leaves, kept for the newcomer (a GPU handed over, not released and provisioned again), or null when no
     * model may be preempted to make room.
     */
    private Node preemptFor(int i, SimulatedPool pool) {
        ModelServer want = servers[i];
        int wantRank = rank(want, now);
        List<ModelServer> lower = new ArrayList<>();
        Map<ModelServer, double[]> key = new HashMap<>(); // rank, deadline slack, attainment slack: each computed once
        for (ModelServer s : servers) {
            if (s == want || s.replicaCount() == 0 || !s.spec.pool().equals(pool.id())) continue;
            double deadline = s.deadlineSlack(now);
            int r = rankGiven(s, deadline);
            if (r <= wantRank) continue;
            lower.add(s);
            key.put(s, new double[]{r, deadline, slack(s)});
        }
        // lowest class first, then the most deadline slack, then the most attainment slack; stable, so equal models keep
        // their catalog order
        lower.sort(java.util.Comparator.comparingDouble((ModelServer s) -> -key.get(s)[0])
                .thenComparingDouble(s -> -key.get(s)[1])
                .thenComparingDouble(s -> -key.get(s)[2]));
        for (ModelServer victimServer : lower) {
            for (Replica victim : victimServer.chooseVictims(victimServer.replicaCount(), now)) {
                if (victim.node.cordoned || !pool.fitsInPlaceOf(victim, want.spec)) continue;
                victimServer.remove(victim, now);
                endMigrationOf(victim);
                preemptions++;
                victimServer.metrics.preempted++;
                return pool.vacate(victim, now, drainedBy(victim));
            }
        }
        return null;
    }

    /** Requests a model must have finished before its attainment so far counts as SLO risk. */
    static final long MIN_FINISHED_FOR_RISK = 100;

    /**
     * Priority class order (0 = critical), one class higher while the model is at risk of missing its SLO: its
     * waiting requests would miss their deadlines ({@link ModelServer#deadlineSlack} below 0 at {@code t}) or it
     * is below its SLO target so far ({@link #slack}).
     */
    static int rank(ModelServer s, double t) {
        return rankGiven(s, s.deadlineSlack(t));
    }

    private static int rankGiven(ModelServer s, double deadlineSlack) {
        int r = s.spec.priority().ordinal();
        return deadlineSlack < 0 || slack(s) < 0 ? Math.max(0, r - 1) : r;
    }

    /**
     * SLO attainment so far minus the target, over the requests whose outcome is known: served ones once they have
     * finished (as of the last control tick, when the server books them), dropped and timed-out ones when they were
     * turned away or gave up. 0 until enough are known. (A served request's latency is fixed at dispatch, but a live
     * system measures it only when the request ends.)
     */
    static double slack(ModelServer s) {
        var m = s.metrics;
        long finished = m.servedFinished + m.dropped + m.timedOut;
        return finished < MIN_FINISHED_FOR_RISK ? 0 : m.sloMetFinished / (double) finished - s.spec.slo().target();
    }

    /**
     * Adds each model's shortfall since the last call up to {@code t}: the replicas short as of the last tick (held
     * back by the policy's budget, or granted and found no room) times the time since.
     */
    private void accrueShortfall(double t) {
        if (!Double.isNaN(shortSince) && t > shortSince)
            for (int i = 0; i < servers.length; i++) {
                servers[i].metrics.budgetShortReplicaSeconds += budgetShort[i] * (t - shortSince);
                servers[i].metrics.capacityShortReplicaSeconds += capacityShort[i] * (t - shortSince);
            }
        shortSince = t;
    }

    /** The warm-up ends at {@code t}: counters, latencies, bills and attribution start from here. */
    public void startScoring(double t) {
        setNow(t);
        accrueShortfall(t);
        accrueAll(t);
        for (ModelServer s : servers) { // a batch running at t is busy in the scored window from t on
            double[] tail = s.busyBookedAfter(t);
            s.metrics.resetForScoring(s.queued());
            s.rebook(tail);
        }
        ledger.reset();
        for (SimulatedPool p : pools.values()) p.startScoring(t); // a drain tail after t is attributed as it passes
        coldStarts = preemptions = failures = notes = migrationsDone = spotInterruptions = 0;
    }

    /**
     * Replicas can be lost (failures, spot interruptions): every model server keeps what each replica runs, so that
     * the requests a lost replica had not finished are not counted as served ({@link ModelServer#lose}). Call before
     * any request is dispatched.
     */
    public void enableReplicaLoss() {
        for (ModelServer s : servers) s.enableLossTracking();
    }

    /** Lets shared-GPU pools drain their least used node onto the others when it fits (off by default). */
    public void enableConsolidation() {
        consolidate = true;
    }

    /** Every model server admits requests by deadline (see {@link ClusterOptions}). */
    public void enableAdmission() {
        for (ModelServer s : servers) s.enableAdmission();
    }

    /** Replicas moved to consolidate nodes. */
    public long migrations() {
        return migrationsDone;
    }

    /**
     * Drains one node: every replica on the least used shared node that fits elsewhere is started again on a
     * fuller node (paying its load time there) and stopped once the replacement is ready, so the emptied node
     * is released. One node per tick, and not while an earlier drain is still in progress.
     */
    private void consolidateOneNode() {
        if (!migrations.isEmpty()) return;
        for (SimulatedPool p : pools.values()) {
            for (Node n : p.drainCandidates(now)) {
                List<Replica[]> moved = new ArrayList<>();
                boolean ok = true;
                for (Replica old : List.copyOf(n.residents)) {
                    Replica r = p.placeElsewhere(old.model, servers[old.model].spec, now, n, true); // onto a node in use: an empty one frees none
                    if (r == null) {
                        ok = false;
                        break;
                    }
                    moved.add(new Replica[]{old, r});
                }
                if (!ok) { // undo: nothing was loaded yet, so nothing is billed
                    for (Replica[] m : moved) p.detach(m[1], now, now);
                    continue;
                }
                for (Replica[] m : moved) {
                    servers[m[1].model].add(m[1]);
                    servers[m[1].model].metrics.coldStarts++;
                    coldStarts++;
                    migrating[m[1].model]++;
                    migrations.add(m);
                }
                return;
            }
        }
    }

    private void finishMigrations() {
        for (var it = migrations.iterator(); it.hasNext(); ) {
            Replica[] m = it.next();
            if (m[1].readyAt > now) continue;
            if (m[0].heapIndex >= 0) stop(servers[m[0].model], m[0]);
            migrating[m[1].model]--;
            migrationsDone++;
            it.remove();
        }
    }

    private void cancelMigrations(int i) {
        for (var it = migrations.iterator(); it.hasNext(); ) {
            Replica[] m = it.next();
            if (m[1].model != i) continue;
            if (m[1].heapIndex >= 0) stop(servers[i], m[1]);
            migrating[i]--;
            it.remove();
        }
    }

    /**
     * Replica {@code r} left its model for another reason than its migration ending (preempted, failed; a scale-down
     * cancels its model's migrations first): the migration it was part of is over. If it was the replacement, the old replica stays as an
     * ordinary one; if it was the old one, the replacement still loading becomes an ordinary one. Either way the
     * pair counts as the one replica it stood for, as the desired count does, and no record is left to stop a
     * replica later that is no longer being replaced. Returns whether {@code r} was part of a migration.
     */
    private boolean endMigrationOf(Replica r) {
        for (var it = migrations.iterator(); it.hasNext(); ) {
            Replica[] m = it.next();
            if (m[0] != r && m[1] != r) continue;
            migrating[r.model]--;
            it.remove();
            return true;
        }
        return false;
    }

    /** Replicas of model {@code i} being replaced by a consolidation now (their replacements are loading). */
    int migratingReplicas(int i) {
        return migrating[i];
    }

    public long preemptions() {
        return preemptions;
    }

    /** Ticks on which the policy left a note (e.g. a budget that binds), and the last note. */
    public long notes() {
        return notes;
    }

    public String lastNote() {
        return lastNote;
    }

    private void stop(ModelServer s, Replica r) {
        s.remove(r, now);
        r.node.pool.detach(r, now, drainedBy(r));
    }

    /** When a replica stopped now leaves its node: one still loading is cancelled now; one serving finishes its batch first. */
    private double drainedBy(Replica r) {
        return r.readyAt <= now ? Math.max(now, r.servingUntil()) : now;
    }

    /** Brings the per-model cost attribution up to {@code t} (report rows, end of run). */
    public void accrueAll(double t) {
        for (SimulatedPool p : pools.values()) p.accrueAll(t);
    }

    /**
     * Shares the pools' spare node time (no replica on the node) so far among their models by use since the last
     * report row, after bringing the attribution up to {@code t}; {@code last} at the run's end (see {@link CostLedger}).
     */
    public void settleCosts(double t, boolean last) {
        accrueAll(t);
        ledger.settle(last);
    }

    /** Money and GPU-seconds of pools no model names (their bill has no model to go to). */
    public double unattributedUsd() {
        return ledger.unattributedUsd();
    }

    public double unattributedGpuSeconds() {
        return ledger.unattributedGpuSeconds();
    }

    /**
     * Settles all queues at the end of the run: replicas keep serving what is queued ({@link ModelServer#settle}: a
     * model with none leaves its requests unfinished); billing stops at {@code end}, and so does busy time (a batch
     * running past the end counts up to it, one starting after it not at all).
     */
    public void finish(double end) {
        setNow(end);
        for (ModelServer s : servers) {
            s.endBusyTime(end);
            s.settle(end);
        }
        accrueShortfall(end);
        settleCosts(end, true);
    }

    /**
     * Spot node {@code nodeId} of pool {@code poolId} gets its interruption notice at {@code t}: it is cordoned (no
     * replica is placed on it any more) and every replica on it that is not already being moved is started again
     * elsewhere in the pool (on a node with room, else a new one), paying its load; the old one serves until its
     * replacement is ready, as a consolidation move does, or until the node goes. False when the node is gone.
     */
    public boolean spotNotice(String poolId, int nodeId, double t) {
        setNow(t);
        SimulatedPool pool = pools.get(poolId);
        Node n = pool == null ? null : pool.activeNode(nodeId);
        if (n == null || n.cordoned) return false;
        n.cordoned = true;
        for (Replica old : List.copyOf(n.residents)) {
            if (inMigration(old)) continue;
            Replica r = pool.place(old.model, servers[old.model].spec, t);
            if (r == null) continue; // no room: it goes with the node, and the next ticks start it again when there is
            servers[r.model].add(r);
            servers[r.model].metrics.coldStarts++;
            coldStarts++;
            migrating[r.model]++;
            migrations.add(new Replica[]{old, r});
        }
        return true;
    }

    /**
     * The provider takes spot node {@code nodeId} of pool {@code poolId} back at {@code t}: the replicas still on it
     * are lost (a replacement started at the notice becomes an ordinary replica; a model left short gets its replicas
     * back at the next ticks, as after a failure), with the requests they, and replicas that left the node still
     * finishing a batch, had not finished ({@link ModelServer#lose}: back to their queue), and the node's bill ends.
     */
    public void spotInterrupt(String poolId, int nodeId, double t) {
        setNow(t);
        SimulatedPool pool = pools.get(poolId);
        if (pool == null) return;
        Node n = pool.activeNode(nodeId);
        if (n == null) { // every replica left it before: a batch still draining on it ends with it, and so does its bill
            Node draining = pool.drainingNode(nodeId);
            if (draining != null) {
                loseLeftServing(draining, t);
                pool.reclaim(draining, t);
            }
            return;
        }
        spotInterruptions++;
        loseLeftServing(n, t);
        for (Replica r : List.copyOf(n.residents)) {
            ModelServer s = servers[r.model];
            s.remove(r, t);
            s.lose(r, t); // the requests it had not finished are not served
            endMigrationOf(r);
            pool.vacate(r, t, t); // released below at t, not when a batch of a replica that left earlier ends
            s.metrics.spotLost++;
        }
        pool.reclaim(n, t);
    }

    /** The batches still running on {@code n} from replicas that left it are lost with it at {@code t}. */
    private void loseLeftServing(Node n, double t) {
        if (n.leftServing == null) return;
        for (Replica r : n.leftServing) servers[r.model].lose(r, t);
        n.leftServing = null;
    }

    /** Spot nodes taken back by the provider (see {@link #spotInterrupt}). */
    public long spotInterruptions() {
        return spotInterruptions;
    }

    private boolean inMigration(Replica r) {
        for (Replica[] m : migrations) if (m[0] == r || m[1] == r) return true;
        return false;
    }

    /** A replica of model {@code i} dies at {@code t}; the desired count stays, so the next tick replaces it. */
    public void failOneReplica(int i, double t) {
        setNow(t);
        ModelServer s = servers[i];
        if (s.replicaCount() == 0) return;
        Replica r = s.failureVictim(t);
        s.remove(r, t);
        s.lose(r, t); // the requests it had not finished are not served
        endMigrationOf(r);
        r.node.pool.detach(r, t, t);
        failures++;
    }

    public long failures() {
        return failures;
    }

    public double seconds(Instant t) {
        return Duration.between(origin, t).toNanos() / 1e9;
    }

    public Instant at(double seconds) {
        return origin.plusNanos(Math.round(seconds * 1e9));
    }

    public int replicasTotal() {
        int n = 0;
        for (ModelServer s : servers) n += s.replicaCount();
        return n;
    }
}
