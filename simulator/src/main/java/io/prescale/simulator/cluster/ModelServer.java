package io.prescale.simulator.cluster;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.simulator.metrics.ModelMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The request path of one model: a bounded FIFO queue, dynamic batching and its replicas.
 *
 * <p>Requests are evaluated lazily, in arrival order: a batch is dispatched on the replica that frees
 * first, at the later of (that replica's free time) and (the moment the batch is full, or the head request
 * has waited the max queue delay). A dispatch is only final once no later arrival could still join it,
 * i.e. when the next arrival (or control event) comes after the dispatch time. This is exact for FIFO
 * dispatch to the earliest-free replica and needs no heap entry per request or per batch, which is what
 * makes billions of requests affordable. A request still waiting after the model's timeout is abandoned.
 *
 * <p>A model whose profile charges per output token is an autoregressive generator, which engines batch per
 * iteration (Orca, OSDI 2022; vLLM): a request joins a running batch as soon as one of the replica's
 * {@code maxBatch} slots is free, and leaves when its own tokens are done. Such a model is served that way
 * here ({@link #enableContinuousBatching}, which the simulation calls for it): each replica has slots, a request takes the earliest free slot, and its service
 * is stretched by the batch size it joins (fixed when it joins, as the interference model fixes slowdowns).
 * Every other model is served in whole batches as above.
 */
public final class ModelServer {
    public final int index;
    public final ModelSpec spec;
    public final ModelMetrics metrics = new ModelMetrics();
    private final int maxBatch;
    private final double maxDelay;
    private final double timeout;
    private final double[] stretch;   // batch time / single-request time, per batch size
    private final double nominalService;
    private final double sloLatency;
    private final double sloSlowdown;
    /** Iteration-level batching: a request takes a free slot of a running batch (see the class comment). */
    private boolean continuous;

    // bounded queue ring: arrival time and isolated service seconds (what the request will take: the server serves it
    // with that, but nothing that decides before it ends may read it), and the part of that service known when it
    // arrives (its input tokens priced by the profile; allocated at the first request that has one, else all 0)
    private double lastArrival = Double.NEGATIVE_INFINITY;
    private final double[] qt;
    private final float[] qs;
    private float[] qk;
    private int qh;
    private int qn;

    // the activator (policies that scale from zero on arrival): a request that finds no replica is held at its source
    // until the engine has tried to start one at its time ({@link #holds})
    private boolean activator;
    private boolean startTried;
    private boolean admission;
    // replicas can be lost (failures, spot interruptions): each keeps what it runs, so that a loss can take it back (lose)
    private boolean trackLoss;

    // time integrals over the current control tick, exact: completions are applied in time order from
    // a small heap of pending batch completions, so "requests in system" and "busy replicas" are step functions
    private final CompletionHeap pending = new CompletionHeap();
    private static final int FREES_REPLICA = 1 << 30; // flag on a completion: the batch ends, its replica frees
    private static final int BUSY_AGAIN = 1 << 29;    // continuous: a replica's busy spell, extended, does not end here
    private double lastT;
    private int inSystem;
    private int inService;
    private int busyReplicas;
    private double areaInSystem;
    private double areaBusy;
    // requests whose service has ended by lastT, and the sum of their isolated service times (what a live system
    // has measured by then; the engine calibrates the profile policies size with to it)
    private long completed;
    private double completedService;
    // of completedService, the parts known at arrival (see qk), counted as the requests end
    private double completedKnown;
    private final CompletionHeap pendingKnown = new CompletionHeap();
    // requests before the simulated start (the history a live system has measured), and their service beyond the part
    // known at arrival (setServicePrior)
    private double priorUnknown;
    private long priorRequests;
    // requests before the simulated start whose service ends after it (setLatePriors): by their ends, each counted into
    // the completions above as the server passes its end, as a live system measures it then
    private double[] lateEnd = new double[0];
    private float[] lateService, lateKnown;
    private int lateNext;
    // the outcomes of requests dispatched whose service has not ended yet ride on their completions in `pending`:
    // {count, of them within the SLO, the tick histogram's latency bucket}, packed (see outcome). The control tick's
    // served, SLO met and p99 take them as the server passes their end (advanceIntegrals), not when they are dispatched:
    // a latency fixed at dispatch is only measured at the end, and a tick that counted it earlier showed the policy the
    // outcome of a request still running

    // replicas as a binary min-heap on freeAt
    private Replica[] heap = new Replica[8];
    private int nrep;

    ModelServer(int index, ModelSpec spec, LatencyProfile profile) {
        this.index = index;
        this.spec = spec;
        this.maxBatch = spec.maxBatch();
        if (maxBatch >= 1 << 24) // a batch's outcome counts its requests in 24 bits (outcome)
            throw new IllegalArgumentException("model " + spec.id() + ": maxBatch " + maxBatch + " is above the simulator's " + ((1 << 24) - 1));
        this.maxDelay = spec.maxQueueDelay().toNanos() / 1e9;
        this.timeout = spec.timeout().toNanos() / 1e9;
        this.stretch = new double[maxBatch + 1];
        for (int b = 1; b <= maxBatch; b++) stretch[b] = profile.batchStretch(b);
        this.nominalService = profile.batchSeconds(1);
        this.sloLatency = spec.slo().latencySeconds();
        this.sloSlowdown = spec.slo().slowdown();
        int cap = spec.queueCapacity();
        this.qt = new double[cap];
        this.qs = new float[cap];
    }

    /** Serves this model with iteration-level batching (no effect at {@code maxBatch} 1, where the two agree). */
    void enableContinuousBatching() {
        if (maxBatch == 1 || continuous) return;
        continuous = true;
        for (int i = 0; i < nrep; i++) {
            heap[i].slotEnd = new double[maxBatch];
            Arrays.fill(heap[i].slotEnd, heap[i].freeAt);
            heap[i].slotA = new double[maxBatch];
            heap[i].slotB = new double[maxBatch];
        }
    }

    public boolean continuousBatching() {
        return continuous;
    }

    void enableActivator() {
        this.activator = true;
    }

    /**
     * Whether a request arriving at {@code t} must be held at its source until a replica start is tried at {@code t}:
     * the activator is on and this model has no replica. The start is the engine's to make, once every other model
     * has been served up to {@code t} (it may take the pool's last room or another model's replica). After a start
     * the pool refused ({@link #startTried}) the request is let through, to wait in the queue.
     */
    public boolean holds(double t) {
        if (nrep > 0 || !activator) return false;
        if (startTried) {
            startTried = false;
            return false;
        }
        return true;
    }

    /** A replica start was tried for the request held at its source and the pool refused it: let that request through. */
    public void startTried() {
        startTried = true;
    }

    /**
     * Replicas of this model can be lost ({@link #lose}: failures, spot interruptions): each keeps what it runs from now
     * on. Off, dispatch keeps nothing (the request path of a run without losses is unchanged).
     */
    void enableLossTracking() {
        this.trackLoss = true;
    }

    /**
     * Replica {@code r} is lost at {@code t} (it failed, or its spot node was taken back), on this model's replicas or
     * after leaving them (stopped, finishing its last batch): the requests it was running whose own work had not ended
     * by {@code t} are not served. They were booked as served when dispatched; that is taken back (served, SLO met,
     * latencies: {@link ModelMetrics#takeBack}), with their completions, and they return to the head of the queue in
     * arrival order, as a router retries a request its replica dropped, waiting since their arrival: served again by
     * another replica, or timed out when they have waited the model's timeout. Those the queue has no room for (the
     * youngest) are dropped. None of them is dispatched again before {@code t}. Needs {@link #enableLossTracking}
     * before the batches were dispatched; without it, or with nothing running, there is nothing to take back.
     */
    void lose(Replica r, double t) {
        InFlight f = r.inFlight;
        if (f == null) return;
        advanceIntegrals(t); // completions up to t have happened: those requests were served
        ModelMetrics m = metrics;
        int[] lost = new int[maxBatch];
        int n = 0;
        // the completions to take back, from `pending` (at most one per request, the batch's groups, its end) and from
        // `pendingKnown` (one per request)
        int cap = f.done.length + f.e + 1, e = 0, ke = 0;
        double[] et = new double[cap], kt = new double[f.done.length];
        int[] ek = new int[cap], kk = new int[f.done.length];
        float[] es = new float[cap], ks = new float[f.done.length];
        long[] eo = new long[cap], ko = new long[f.done.length];
        if (!continuous) {
            for (int j = 0; j < f.n; j++) if (f.done[j] > t) lost[n++] = j;
            for (int x = 0; x < f.e; x++) {
                if (f.et[x] <= t) continue;
                et[e] = f.et[x];
                ek[e] = f.ek[x];
                es[e] = f.es[x];
                eo[e++] = f.eo[x];
                if ((f.ek[x] & FREES_REPLICA) != 0) busyReplicas--;
            }
            f.n = 0;
            f.e = 0;
        } else {
            for (int j = 0; j < f.done.length; j++) if (f.done[j] > t) lost[n++] = j;
            for (int a = 1; a < n; a++) // arrival order (a handful of slots)
                for (int b = a; b > 0 && f.arrival[lost[b]] < f.arrival[lost[b - 1]]; b--) {
                    int x = lost[b];
                    lost[b] = lost[b - 1];
                    lost[b - 1] = x;
                }
            if (r.busyEnd > t) { // its busy spell ends now, not at its last slot's end
                et[e] = r.busyEnd;
                ek[e++] = FREES_REPLICA;
                busyReplicas--;
            }
        }
        for (int x = 0; x < n; x++) {
            int j = lost[x];
            double lat = f.done[j] - f.arrival[j];
            boolean ok = lat <= sloBound(f.service[j]);
            if (continuous) {
                et[e] = f.done[j];
                ek[e] = 1;
                es[e] = f.service[j];
                eo[e++] = outcome(ModelMetrics.tickBucket(lat), 1, ok ? 1 : 0);
            }
            if (f.known[j] >= 0) {
                kt[ke] = f.done[j];
                ks[ke++] = f.known[j];
            }
            m.takeBack(lat, ok, f.scoreEpoch[j], f.reportEpoch[j]);
            inService--;
        }
        pending.removeAll(et, ek, es, eo, e);
        pendingKnown.removeAll(kt, kk, ks, ko, ke);
        if (n == 0) return;
        m.tookBack();
        final int qcap = qt.length;
        int keep = Math.min(n, qcap - qn);
        for (int x = n - 1; x >= keep; x--) { // no room: the youngest are dropped
            m.dropped++;
            m.tickDropped++;
            m.repDropped++;
            inSystem--;
        }
        for (int x = keep - 1; x >= 0; x--) { // the oldest at the head
            int j = lost[x];
            if (--qh < 0) qh = qcap - 1;
            qt[qh] = f.arrival[j];
            qs[qh] = f.service[j];
            float known = Math.max(0f, f.known[j]);
            if (qk == null && known != 0) qk = new float[qcap];
            if (qk != null) qk[qh] = known;
            qn++;
        }
        for (int x = 0; x < n; x++) f.done[lost[x]] = Double.NEGATIVE_INFINITY;
        // they were running until t: no replica takes them before (max with t keeps the heap's order)
        for (int i = 0; i < nrep; i++) {
            Replica o = heap[i];
            o.freeAt = Math.max(o.freeAt, t);
            if (o.slotEnd != null) for (int k = 0; k < o.slotEnd.length; k++) o.slotEnd[k] = Math.max(o.slotEnd[k], t);
        }
    }

    /** Rejects at arrival a request estimated ({@link #estimatedFinish}) not to finish within its SLO behind the queue already waiting. */
    void enableAdmission() {
        this.admission = true;
    }

    /**
     * Seeds the service estimate ({@link #serviceEstimate}) with {@code requests} requests measured before the simulated
     * start, whose service beyond the part known at their arrival summed to {@code unknownSeconds}.
     */
    public void setServicePrior(double unknownSeconds, long requests) {
        if (requests < 0 || !(unknownSeconds >= 0)) throw new IllegalArgumentException("model " + spec.id() + ": service prior "
                + unknownSeconds + " s over " + requests + " requests");
        this.priorUnknown = unknownSeconds;
        this.priorRequests = requests;
    }

    /**
     * Requests that arrived before the simulated start but whose service ends after it ({@code ends}, as if each ran alone
     * from its arrival), with their isolated service times and the parts of them known at arrival: they count as
     * completed, in {@link #completedRequests} and the {@link #serviceEstimate}, once the server has passed their ends,
     * not from the start (their service times are not known before they end).
     */
    public void setLatePriors(double[] ends, float[] service, float[] known) {
        int n = ends.length;
        if (service.length != n || known.length != n) throw new IllegalArgumentException("model " + spec.id() + ": late priors of unequal lengths");
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            if (!(known[k] >= 0 && known[k] <= service[k])) throw knownOutside(service[k], known[k]);
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(ends[a], ends[b]));
        lateEnd = new double[n];
        lateService = new float[n];
        lateKnown = new float[n];
        for (int k = 0; k < n; k++) {
            lateEnd[k] = ends[order[k]];
            lateService[k] = service[order[k]];
            lateKnown[k] = known[order[k]];
        }
        lateNext = 0;
    }

    /** Counts the late priors ({@link #setLatePriors}) that ended by {@code t} as completed. */
    private void latePriorsEnded(double t) {
        while (lateNext < lateEnd.length && lateEnd[lateNext] <= t) {
            completed++;
            completedService += lateService[lateNext];
            completedKnown += lateKnown[lateNext];
            lateNext++;
        }
    }

    /**
     * The service a request is expected to take beyond the part known when it arrives (its input tokens priced; 0 for
     * a request without token counts): the mean over the requests whose service has ended (those before the simulated
     * start, {@link #setServicePrior}, then each as it ends), as a live system measures a model's latency. Before any
     * has ended, the catalog profile's single-request time. A request's own service time is never read: deadline
     * admission and the deadline slack decide before it ends. For an LLM profile with token counts, this is the
     * request's fixed cost plus the mean output length priced: its output length is unknown at arrival, its input is not.
     */
    public double serviceEstimate() {
        long n = priorRequests + completed;
        return n > 0 ? (priorUnknown + completedService - completedKnown) / n : (double) (float) nominalService;
    }

    /** The estimated service of queued request at ring index {@code i}, given {@link #serviceEstimate} {@code u}. */
    private double estimate(int i, double u) {
        return qk == null ? u : qk[i] + u;
    }

    /**
     * When a batch (or slot) that ends at {@code end} is estimated, at {@code t}, to end: one already over ended when
     * it did (a live system has seen it end); one running is estimated from its start and its requests' estimates
     * ({@code a + b u}: its start plus the stretch and slowdown it runs at times its longest estimated request, known
     * parts in {@code a}), and not before {@code t} (it is still running). A replica still loading ({@code b} 0) frees when
     * it is loaded.
     */
    private static double estimatedEnd(double end, double a, double b, double t, double u) {
        return end <= t || b == 0 ? end : Math.max(t, a + b * u);
    }

    /** When replica {@code r} is estimated, at {@code t}, to take its next request (its first slot to free, with continuous batching). */
    private double estimatedFree(Replica r, double t, double u) {
        if (!continuous) return estimatedEnd(r.freeAt, r.estA, r.estB, t, u);
        double f = Double.POSITIVE_INFINITY;
        for (int k = 0; k < maxBatch; k++) f = Math.min(f, estimatedEnd(r.slotEnd[k], r.slotA[k], r.slotB[k], t, u));
        return f;
    }

    // scratch for the admission estimate: each replica's free time (its slots' ends with continuous batching)
    private double[] estFree = new double[8];
    private int[] estRep = new int[8];

    /**
     * When a request arriving at {@code t}, the known part of whose service is {@code known} (see {@link #serviceEstimate}),
     * would finish if nothing else arrived, estimated from what is known at {@code t}: every request's service by its
     * estimate ({@link #serviceEstimate} plus its known part), never its own service time, and a running batch's end
     * by its start and its requests' estimates ({@link #estimatedEnd}). Served as {@link #drain} serves the queue
     * ahead of it: batches of up to {@code maxBatch} in arrival order, each on the replica estimated to free first (a
     * replica still loading frees once loaded; among replicas already free, the one the server dispatches to),
     * dispatched when the batch is full or its head has waited the max queue delay, and taking the batch's stretch times
     * its longest estimated request times that replica's co-location slowdown. With iteration-level batching each
     * request takes the earliest free slot instead, stretched by the slots busy when it joins ({@link #join}). Two
     * differences, both on the safe side (they can only make the estimate later): requests ahead that will time out
     * are counted as served, and the request's own batch waits the full max queue delay (later arrivals that would
     * fill it sooner are not known yet). Exact where every request takes its estimate. Stops early, with a time past
     * {@code giveUpAfter}, once a batch ahead dispatches after it. Used only for admission.
     */
    double estimatedFinish(double t, float known, double giveUpAfter) {
        return estimatedFinish(t, known, serviceEstimate(), giveUpAfter);
    }

    private double estimatedFinish(double t, float known, double u, double giveUpAfter) {
        return continuous ? estimatedFinishContinuous(t, known + u, u, giveUpAfter) : estimatedFinishBatched(t, known + u, u, giveUpAfter);
    }

    private double estimatedFinishBatched(double t, double ownEst, double u, double giveUpAfter) {
        if (qn < maxBatch) { // the common case: the request rides in the next batch, on the replica that frees first
            Replica r = heap[0];
            double free = r.freeAt;
            if (free > t) { // none is free now: the one estimated to free first (a scan only while every replica is busy)
                free = estimatedFree(r, t, u);
                for (int j = 1; j < nrep; j++) {
                    double f = estimatedFree(heap[j], t, u);
                    if (f < free) {
                        free = f;
                        r = heap[j];
                    }
                }
            }
            int size = qn + 1;
            double head = qn > 0 ? qt[qh] : t;
            double d = Math.max(t, Math.max(free, size == maxBatch ? t : head + maxDelay));
            return d + stretch[size] * r.slowdown * ownEst;
        }
        // the replicas' estimated free times as a min-heap (estFree[k] is replica estRep[k]'s): each batch ahead goes to
        // the top, in log(replicas) steps, not a scan of every replica per batch (a long queue on many replicas made
        // admission the run's main cost)
        if (estFree.length < nrep || estRep.length < nrep) {
            estFree = new double[heap.length];
            estRep = new int[heap.length];
        }
        for (int j = 0; j < nrep; j++) {
            estFree[j] = estimatedFree(heap[j], t, u);
            estRep[j] = j;
        }
        for (int k = nrep / 2 - 1; k >= 0; k--) estSiftDown(k, nrep);
        final int cap = qt.length;
        final float[] qk = this.qk;
        int left = qn, i = qh;
        while (true) {
            int j = estRep[0];
            boolean own = left < maxBatch; // the request rides in this batch
            int size = own ? left + 1 : maxBatch;
            double lastArrival = t, longestKnown = 0;
            double head = left > 0 ? qt[i] : t;
            int ahead = size - (own ? 1 : 0);
            if (qk != null) { // known parts differ: the batch's longest estimate is its largest known part's
                for (int k = 0; k < ahead; k++) {
                    longestKnown = Math.max(longestKnown, qk[i]);
                    if (!own) lastArrival = qt[i];
                    if (++i == cap) i = 0;
                }
            } else if (ahead > 0) { // every estimate is the same: no walk over the batch
                i += ahead - 1;
                if (i >= cap) i -= cap;
                if (!own) lastArrival = qt[i];
                if (++i == cap) i = 0;
            }
            double d = Math.max(t, Math.max(estFree[0], size == maxBatch ? lastArrival : head + maxDelay));
            double factor = stretch[size] * heap[j].slowdown;
            if (own) return d + factor * ownEst;
            if (d > giveUpAfter) return d;
            estFree[0] = d + factor * (longestKnown + u);
            estSiftDown(0, nrep);
            left -= maxBatch;
        }
    }

    /** Restores the admission scratch heap's order below {@code k} (of its first {@code n}). */
    private void estSiftDown(int k, int n) {
        double v = estFree[k];
        int rep = estRep[k];
        while (true) {
            int c = 2 * k + 1;
            if (c >= n) break;
            if (c + 1 < n && estFree[c + 1] < estFree[c]) c++;
            if (estFree[c] >= v) break;
            estFree[k] = estFree[c];
            estRep[k] = estRep[c];
            k = c;
        }
        estFree[k] = v;
        estRep[k] = rep;
    }

    private double estimatedFinishContinuous(double t, double own, double u, double giveUpAfter) {
        int slots = maxBatch;
        if (estFree.length < nrep * slots) estFree = new double[heap.length * slots];
        for (int j = 0; j < nrep; j++) {
            Replica r = heap[j];
            for (int k = 0; k < slots; k++) estFree[j * slots + k] = estimatedEnd(r.slotEnd[k], r.slotA[k], r.slotB[k], t, u);
        }
        final int cap = qt.length;
        int i = qh;
        for (int q = 0; ; q++) {
            boolean mine = q == qn;
            int at = earliest(estFree, nrep * slots), j = at / slots;
            double d = Math.max(estFree[at], mine ? t : qt[i]);
            int occupied = 1; // itself and the slots still busy at d
            for (int k = j * slots; k < (j + 1) * slots; k++) if (estFree[k] > d) occupied++;
            double done = d + stretch[occupied] * heap[j].slowdown * (mine ? own : estimate(i, u));
            if (mine) return done;
            if (d > giveUpAfter) return d;
            estFree[at] = done;
            if (++i == cap) i = 0;
        }
    }

    /** The index of the smallest of the first {@code n} values. */
    private static int earliest(double[] v, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) if (v[k] < v[best]) best = k;
        return best;
    }

    /** The latency a request of this isolated service time may take and still meet the SLO. */
    private double sloBound(double service) {
        return Math.max(sloLatency, sloSlowdown * service);
    }

    /**
     * Deadline slack at {@code t}, from what is known then: of the requests waiting, the least time one has left at its
     * SLO deadline (its arrival plus the SLO's bound for its estimated service) when it is estimated to finish, served
     * as {@link #drain} serves the queue: in arrival order, batches of up to {@code maxBatch} on the replica estimated to
     * free first (a running batch by its start and its requests' estimates, one still loading once loaded), each
     * dispatched once full or when its head has waited the max queue delay, taking the batch's stretch times its
     * longest estimated request times that replica's slowdown (a model batched per iteration is walked the same way, in
     * whole batches: on the safe side). Each request's service is its estimate ({@link #serviceEstimate} plus its known
     * part), never its own service time. Negative when, at the replicas it has, some waiting request is expected to
     * miss its SLO; with no replica, one is counted ready after the model's load time. Infinite with nothing waiting.
     * A walk over the queue: for preemption decisions, not the request path.
     */
    double deadlineSlack(double t) {
        if (qn == 0) return Double.POSITIVE_INFINITY;
        double u = serviceEstimate();
        int n = Math.max(1, nrep);
        double[] free = new double[n];
        double[] slow = new double[n];
        if (nrep == 0) {
            free[0] = t + spec.loadTime().toNanos() / 1e9;
            slow[0] = 1;
        }
        for (int j = 0; j < nrep; j++) {
            free[j] = estimatedFree(heap[j], t, u);
            slow[j] = heap[j].slowdown;
        }
        final int cap = qt.length;
        double worst = Double.POSITIVE_INFINITY;
        int left = qn, i = qh;
        while (left > 0) {
            int j = earliest(free, n);
            int size = Math.min(left, maxBatch);
            int last = i + size - 1;
            if (last >= cap) last -= cap;
            double d = Math.max(free[j], size == maxBatch ? qt[last] : qt[i] + maxDelay);
            double longest = 0;
            for (int k = 0, x = i; k < size; k++, x = x + 1 == cap ? 0 : x + 1) longest = Math.max(longest, estimate(x, u));
            double finish = d + stretch[size] * slow[j] * longest;
            for (int k = 0; k < size; k++) {
                worst = Math.min(worst, qt[i] + sloBound(estimate(i, u)) - finish);
                if (++i == cap) i = 0;
            }
            free[j] = finish;
            left -= size;
        }
        return worst;
    }

    public double nominalService() {
        return nominalService;
    }

    /**
     * Requests whose service had ended when the server was last advanced (by {@link #closeTick} at a tick): what a
     * live system has measured by then. Those the server served, and those before the simulated start that ended after
     * it ({@link #setLatePriors}).
     */
    public long completedRequests() {
        return completed;
    }

    /** The sum of the isolated service times (the work each brought, before batching or co-location slowed it) of {@link #completedRequests}. */
    public double completedServiceSeconds() {
        return completedService;
    }

    public int replicaCount() {
        return nrep;
    }

    public int queued() {
        return qn;
    }

    /** Moves the step functions to {@code t}, applying every batch completion up to then in time order. */
    private void advanceIntegrals(double t) {
        if (qk != null) knownCompleted(t);
        if (lateNext < lateEnd.length) latePriorsEnded(t);
        while (pending.size() > 0 && pending.minTime() <= t) {
            double c = pending.minTime();
            int raw = pending.minCount();
            int k = raw & ~(FREES_REPLICA | BUSY_AGAIN);
            completed += k;
            completedService += k * (double) pending.minService(); // exact: a sum of equal services is their count times it
            long o = pending.minOutcome();
            pending.pop();
            if (o != 0) metrics.finishedInTick((int) (o >>> 48), (int) (o & 0xFFFFFF), (int) ((o >>> 24) & 0xFFFFFF));
            if (c > lastT) {
                areaInSystem += inSystem * (c - lastT);
                areaBusy += busyReplicas * (c - lastT);
                lastT = c;
            }
            inSystem -= k;
            inService -= k;
            if ((raw & FREES_REPLICA) != 0) busyReplicas--;
            if ((raw & BUSY_AGAIN) != 0) busyReplicas++;
        }
        if (t > lastT) {
            areaInSystem += inSystem * (t - lastT);
            areaBusy += busyReplicas * (t - lastT);
            lastT = t;
        }
    }

    /** Counts the known parts of the requests that ended by {@code t} (kept apart: only token-priced models have them). */
    private void knownCompleted(double t) {
        while (pendingKnown.size() > 0 && pendingKnown.minTime() <= t) {
            completedKnown += pendingKnown.minService();
            pendingKnown.pop();
        }
    }

    /**
     * Time-averaged requests in the system and busy replicas since the last call, over {@code dt}; resets. Books the
     * requests that finished by {@code t} into the tick's served, SLO-met and latency counters.
     */
    public double[] closeTick(double t, double dt) {
        advanceIntegrals(t);
        double[] out = {dt > 0 ? areaInSystem / dt : inSystem, dt > 0 ? areaBusy / dt : busyReplicas};
        areaInSystem = 0;
        areaBusy = 0;
        return out;
    }

    /** A request arriving at {@code t} whose isolated service time is {@code service} seconds, none of it known at arrival. */
    public void arrive(double t, float service) {
        accept(t, service, 0f);
    }

    /**
     * A request arriving at {@code t} whose isolated service time is {@code service} seconds, of which {@code known}
     * (its input tokens priced) is known at arrival; the rest is not (see {@link #serviceEstimate}).
     */
    public void arrive(double t, float service, float known) {
        if (!(known >= 0 && known <= service)) throw knownOutside(service, known);
        accept(t, service, known);
    }

    private void accept(double t, float service, float known) {
        // the queue is a FIFO in arrival time: an earlier arrival after a later one (overlapping trace windows)
        // would leave a head no batch can take, and the run would never end
        if (t < lastArrival)
            throw new IllegalStateException("arrivals of model '" + spec.id() + "' out of time order: " + t + " s after " + lastArrival
                    + " s (overlapping windows in the trace?)");
        lastArrival = t;
        if (nrep > 0) drain(t);
        else expire(t);
        advanceIntegrals(t);
        ModelMetrics m = metrics;
        if (!(t >= earliestReady)) m.coldRequests++; // no replica loaded yet (or none at all)
        m.arrived++;
        m.tickArrived++;
        m.repArrived++;
        boolean rejectEarly = admission && nrep > 0 && qn < qt.length && rejects(t, known);
        if (qn == qt.length || rejectEarly) {
            m.dropped++;
            m.tickDropped++;
            m.repDropped++;
            if (rejectEarly) m.rejectedEarly++;
            return;
        }
        int i = qh + qn;
        if (i >= qt.length) i -= qt.length;
        qt[i] = t;
        qs[i] = service;
        if (qk != null) qk[i] = known;
        else if (known != 0) { // the first request with a known part: those queued before had none
            qk = new float[qt.length];
            qk[i] = known;
        }
        qn++;
        inSystem++;
    }

    private IllegalArgumentException knownOutside(float service, float known) {
        return new IllegalArgumentException("model '" + spec.id() + "': known part " + known + " s of a request outside its service 0.." + service + " s");
    }

    /**
     * Deadline admission: whether a request arriving at {@code t} with {@code known} seconds of its service known is
     * estimated to miss its SLO, judged by its estimated service, not its own (not known yet).
     */
    private boolean rejects(double t, float known) {
        double u = serviceEstimate();
        double bound = sloBound(known + u);
        return estimatedFinish(t, known, u, t + bound) - t > bound;
    }

    /** Settles every batch that dispatches before {@code t}; abandons requests that timed out by then. */
    public void drain(double t) {
        if (continuous) {
            drainContinuous(t);
            return;
        }
        final double[] qt = this.qt;
        final int cap = qt.length;
        while (qn > 0 && nrep > 0) {
            Replica r = heap[0];
            double f = r.freeAt;
            double head = qt[qh];
            double d;
            if (qn >= maxBatch) {
                int last = qh + maxBatch - 1;
                if (last >= cap) last -= cap;
                d = Math.max(f, qt[last]);
            } else {
                d = Math.max(f, head + maxDelay);
            }
            if (d >= t) break;
            if (d - head > timeout) { // the head gave up before any replica could take it
                abandonHead();
                continue;
            }
            dispatch(r, d);
        }
        expire(t);
    }

    /**
     * The run's window ends at {@code end}: the replicas this model has keep serving its queue to the last request
     * (each served, or given up once it has waited its timeout, as if time went on without new arrivals or decisions).
     * A model with no replica has nothing to serve it, and what happens to its requests next is up to a decision the run
     * does not make: those whose timeout had passed by {@code end} gave up, the rest stay queued, unfinished (counted as
     * in flight, {@code inFlight} in the totals, and as not within the SLO), not timed out at a deadline still to come.
     */
    public void settle(double end) {
        if (nrep > 0) drain(Double.POSITIVE_INFINITY);
        else expire(end);
    }

    private void dispatch(Replica r, double d) {
        final double[] qt = this.qt;
        final int cap = qt.length;
        int k = 0;
        double maxSvc = 0, minSvc = Double.MAX_VALUE;
        int i = qh;
        while (k < maxBatch && k < qn && qt[i] <= d) {
            if (d - qt[i] > timeout) break; // later requests are younger; only the head can be that old
            if (qs[i] > maxSvc) maxSvc = qs[i];
            if (qs[i] < minSvc) minSvc = qs[i];
            k++;
            if (++i == cap) i = 0;
        }
        // every request is slowed by the batch and leaves when its own work is done, but the replica takes no
        // new request until the longest is (a whole batch; see join for iteration-level batching)
        double factor = stretch[k] * r.slowdown;
        double busy = factor * maxSvc;
        double c = d + busy;
        boolean uniform = maxSvc == minSvc;
        advanceIntegrals(d);
        busyReplicas++;
        inService += k;
        ModelMetrics m = metrics;
        long met = 0;
        i = qh;
        InFlight f = null;
        if (trackLoss) { // the batch before on r has ended (d is at or after its end): r runs this one
            f = inFlight(r);
            f.n = k;
            f.e = 0;
        }
        // a uniform batch's requests all finish at c: consecutive ones whose latencies share a tick bucket are one outcome
        int bucket = -1, inBucket = 0, metInBucket = 0;
        for (int j = 0; j < k; j++) {
            double done = uniform ? c : d + factor * qs[i];
            double lat = done - qt[i];
            m.recordLatency(lat);
            boolean ok = lat <= sloBound(qs[i]);
            if (ok) met++;
            int b = ModelMetrics.tickBucket(lat);
            if (f != null) f.put(j, qt[i], qs[i], qk == null ? -1f : qk[i], done, m.scoreEpoch, m.reportEpoch);
            if (!uniform) {
                push(f, done, 1, qs[i], outcome(b, 1, ok ? 1 : 0));
            } else {
                if (b != bucket && inBucket > 0) { // another bucket: the group so far ends at c on its own
                    push(f, c, 0, 0f, outcome(bucket, inBucket, metInBucket));
                    inBucket = metInBucket = 0;
                }
                bucket = b;
                inBucket++;
                if (ok) metInBucket++;
            }
            if (++i == cap) i = 0;
        }
        // the batch's completion, with its (last) group's outcome: k requests of maxSvc each, or only the replica freeing
        if (uniform) push(f, c, k | FREES_REPLICA, (float) maxSvc, inBucket > 0 ? outcome(bucket, inBucket, metInBucket) : 0L);
        else push(f, c, FREES_REPLICA, 0f, 0L);
        // what is known of its end: its start, and its longest estimated request (the largest known part's)
        r.estA = qk == null ? d : d + factor * knownParts(qh, k, uniform ? c : Double.NaN, d, factor);
        r.estB = factor;
        booked(i, k, met, d, busy, r);
        r.freeAt = c;
        r.lastBatch = k;
        r.busyEnd = c;
        siftDown(0);
    }

    /** Pushes a completion, and keeps it in {@code f} when replicas can be lost ({@code f} not null). */
    private void push(InFlight f, double time, int count, float service, long outcome) {
        pending.push(time, count, service, outcome);
        if (f != null) f.entry(time, count, service, outcome);
    }

    private InFlight inFlight(Replica r) {
        if (r.inFlight == null) r.inFlight = new InFlight(maxBatch);
        return r.inFlight;
    }

    /** {@link #drain} for iteration-level batching: the head request takes the earliest free slot. */
    private void drainContinuous(double t) {
        while (qn > 0 && nrep > 0) {
            Replica r = heap[0];
            double head = qt[qh];
            double d = Math.max(r.freeAt, head);
            if (d >= t) break;
            if (d - head > timeout) {
                abandonHead();
                continue;
            }
            join(r, d);
        }
        expire(t);
    }

    /**
     * The {@code k} requests queued from ring index {@code from} start at {@code d}, stretched by {@code factor} (all
     * ending at {@code c} when not NaN): counts their known parts as they end ({@link #knownCompleted}) and returns the
     * largest. Only for a model whose requests have known parts, off the path of the others.
     */
    private double knownParts(int from, int k, double c, double d, double factor) {
        double largest = 0;
        for (int j = 0, i = from; j < k; j++) {
            pendingKnown.push(Double.isNaN(c) ? d + factor * qs[i] : c, 0, qk[i]);
            largest = Math.max(largest, qk[i]);
            if (++i == qt.length) i = 0;
        }
        return largest;
    }

    /**
     * Starts, at {@code d}, as many queued requests as {@code r} has free slots; each leaves when its own work
     * is done. The replica is busy while any slot is: a spell that a later join extends.
     */
    private void join(Replica r, double d) {
        final double[] qt = this.qt;
        final int cap = qt.length;
        final double[] slots = r.slotEnd;
        int free = 0;
        for (double e : slots) if (e <= d) free++;
        int k = 0;
        int i = qh;
        while (k < free && k < qn && qt[i] <= d) {
            if (d - qt[i] > timeout) break; // later requests are younger; only the head can be that old
            k++;
            if (++i == cap) i = 0;
        }
        int occupied = slots.length - free + k;
        double factor = stretch[occupied] * r.slowdown;
        advanceIntegrals(d);
        inService += k;
        ModelMetrics m = metrics;
        long met = 0;
        double end = r.busyEnd;
        i = qh;
        int slot = 0;
        final float[] qk = this.qk;
        InFlight f = trackLoss ? inFlight(r) : null;
        for (int j = 0; j < k; j++) {
            while (slots[slot] > d) slot++;
            double done = d + factor * qs[i];
            float known = qk == null ? 0f : qk[i];
            r.slotA[slot] = d + factor * known; // what is known of its end (estimatedEnd)
            r.slotB[slot] = factor;
            slots[slot++] = done;
            if (qk != null) pendingKnown.push(done, 0, known);
            if (done > end) end = done;
            double lat = done - qt[i];
            m.recordLatency(lat);
            boolean ok = lat <= sloBound(qs[i]);
            if (ok) met++;
            pending.push(done, 1, qs[i], outcome(ModelMetrics.tickBucket(lat), 1, ok ? 1 : 0));
            if (f != null) f.put(slot - 1, qt[i], qs[i], qk == null ? -1f : known, done, m.scoreEpoch, m.reportEpoch);
            if (++i == cap) i = 0;
        }
        // busy replicas as a step function: a new spell from d, or the running one extended to the new end
        double busy, from = Math.max(d, r.busyEnd);
        if (r.busyEnd <= d) {
            busyReplicas++;
            pending.push(end, FREES_REPLICA);
            busy = end - d;
        } else if (end > r.busyEnd) {
            pending.push(r.busyEnd, BUSY_AGAIN); // cancels the spell's end pushed before
            pending.push(end, FREES_REPLICA);
            busy = end - r.busyEnd;
        } else {
            busy = 0;
        }
        booked(i, k, met, from, busy, r);
        double first = Double.POSITIVE_INFINITY;
        for (double e : slots) first = Math.min(first, e);
        r.freeAt = first;
        r.lastBatch = occupied;
        r.busyEnd = end;
        siftDown(0);
    }

    /**
     * The outcome of {@code count} requests (1 to {@code maxBatch}) with latencies in tick bucket {@code bucket},
     * {@code met} of them within the SLO, packed to ride on their completion: the tick they finish in counts them.
     */
    private static long outcome(int bucket, int count, int met) {
        return ((long) bucket << 48) | ((long) met << 24) | count;
    }

    /**
     * Books {@code k} requests leaving the queue (the next one at {@code newHead}) for a run on {@code r},
     * {@code met} of them within the SLO, that keeps the replica busy {@code busy} seconds more from {@code from}.
     * The busy time is booked whole, up to the end of the run's window ({@link #endBusyTime}); a part that lies
     * past a report row's end is moved to the next row ({@link #busyBookedAfter}).
     */
    private void booked(int newHead, int k, long met, double from, double busy, Replica r) {
        qh = newHead;
        qn -= k;
        ModelMetrics m = metrics;
        m.served += k;
        m.repServed += k;
        m.sloMet += met;
        m.repSloMet += met;
        m.batches++;
        r.busyTotal += busy;
        double scored = Math.max(0, Math.min(busy, busyUntil - from)); // nothing past the end of the run's window
        m.busySeconds += scored;
        m.repBusySeconds += scored;
        m.busyGpuSeconds += scored * r.gpuWeight;
        m.busyGpuByteSeconds += scored * r.memory; // the memory it holds (a whole MIG slice), as held memory counts it
    }

    // ---- busy time within the window, while the replica is on its node ----

    /** The run's window ends here: busy time after it is not booked (set at the end of the run). */
    private double busyUntil = Double.POSITIVE_INFINITY;

    /**
     * The busy time booked so far that lies after {@code t} ({@code t} at or after every dispatch so far): a
     * replica's batches run one after another, so only its last batch (or continuous-batching spell) reaches past
     * {@code t}. Returns {seconds, GPU-seconds, GPU byte-seconds} and takes them out of the run's and the report
     * row's counters; {@link #rebook} puts them back (after a reset at {@code t}).
     */
    public double[] busyBookedAfter(double t) {
        double secs = 0, gpu = 0, bytes = 0;
        for (int i = 0; i < nrep; i++) {
            Replica r = heap[i];
            double x = Math.min(r.busyEnd, busyUntil) - t;
            if (x <= 0) continue;
            secs += x;
            gpu += x * r.gpuWeight;
            bytes += x * r.memory;
        }
        unbook(secs, gpu, bytes);
        return new double[]{secs, gpu, bytes};
    }

    /** Books again what {@link #busyBookedAfter} took out. */
    public void rebook(double[] tail) {
        unbook(-tail[0], -tail[1], -tail[2]);
    }

    /** The run's window ends at {@code t}: what was booked past it is taken out, and nothing dispatched later is booked. */
    public void endBusyTime(double t) {
        busyBookedAfter(t);
        busyUntil = t;
    }

    private void unbook(double secs, double gpu, double bytes) {
        ModelMetrics m = metrics;
        m.busySeconds -= secs;
        m.repBusySeconds -= secs;
        m.busyGpuSeconds -= gpu;
        m.busyGpuByteSeconds -= bytes;
    }

    private void abandonHead() {
        if (++qh == qt.length) qh = 0;
        qn--;
        inSystem--;
        metrics.timedOut++;
        metrics.tickTimedOut++;
        metrics.repTimedOut++;
    }

    /** Abandons waiting requests older than the timeout at {@code t} (none of them can have started). */
    private void expire(double t) {
        while (qn > 0 && t - qt[qh] > timeout) abandonHead();
    }

    /** Requests in batches still running (valid after {@link #closeTick} or a drain at the current time). */
    public int inService() {
        return inService;
    }

    public int replicasReady(double t) {
        int n = 0;
        for (int i = 0; i < nrep; i++) if (heap[i].readyAt <= t) n++;
        return n;
    }

    // ---- replica set (called by the cluster) ----

    /** The earliest time any current replica is (or was) loaded; infinite without replicas. */
    private double earliestReady = Double.POSITIVE_INFINITY;

    private void updateEarliestReady() {
        double e = Double.POSITIVE_INFINITY;
        for (int i = 0; i < nrep; i++) e = Math.min(e, heap[i].readyAt);
        earliestReady = e;
    }

    void add(Replica r) {
        if (continuous) {
            r.slotEnd = new double[maxBatch];
            Arrays.fill(r.slotEnd, r.freeAt);
            r.slotA = new double[maxBatch];
            r.slotB = new double[maxBatch];
        }
        earliestReady = Math.min(earliestReady, r.readyAt);
        if (nrep == heap.length) heap = Arrays.copyOf(heap, nrep * 2);
        heap[nrep] = r;
        r.heapIndex = nrep;
        nrep++;
        siftUp(nrep - 1);
    }

    /**
     * Picks {@code k} replicas to stop at {@code t}: still loading first (newest first), then idle, then busy, the one
     * estimated to finish its work first before the others ({@link #estimatedServingUntil}: a scale-down or a preemption
     * decides before the running batches end, so it cannot read their true ends).
     */
    List<Replica> chooseVictims(int k, double t) {
        double u = serviceEstimate();
        java.util.Map<Replica, Double> until = new java.util.IdentityHashMap<>(nrep);
        for (int i = 0; i < nrep; i++) until.put(heap[i], estimatedServingUntil(heap[i], t, u));
        return victimsBy(k, t, until::get);
    }

    /**
     * The replica a failure takes at {@code t}: the last of {@link #chooseVictims}' order by true ends (a failure is
     * the world acting, not a decision, so it may strike the replica with the most work still to do).
     */
    Replica failureVictim(double t) {
        List<Replica> all = victimsBy(nrep, t, Replica::servingUntil);
        return all.get(all.size() - 1);
    }

    private List<Replica> victimsBy(int k, double t, java.util.function.ToDoubleFunction<Replica> until) {
        List<Replica> all = new ArrayList<>(nrep);
        for (int i = 0; i < nrep; i++) all.add(heap[i]);
        all.sort((a, b) -> {
            boolean la = a.readyAt > t, lb = b.readyAt > t;
            if (la != lb) return la ? -1 : 1;
            if (la) return Double.compare(b.readyAt, a.readyAt);
            return Double.compare(until.applyAsDouble(a), until.applyAsDouble(b));
        });
        return all.subList(0, Math.min(k, all.size()));
    }

    /** When replica {@code r} is estimated, at {@code t}, to have finished all it is running ({@link Replica#servingUntil} as known then). */
    private double estimatedServingUntil(Replica r, double t, double u) {
        if (r.slotEnd == null) return estimatedEnd(r.freeAt, r.estA, r.estB, t, u);
        double until = Math.min(r.busyEnd, t); // no slot running: idle since its last batch
        for (int k = 0; k < maxBatch; k++) until = Math.max(until, estimatedEnd(r.slotEnd[k], r.slotA[k], r.slotB[k], t, u));
        return until;
    }

    /**
     * Takes {@code r} off this model at {@code t} (stopped, preempted or failed). Its busy time counts until then:
     * a replica's time is billed to its model, and its memory counted as held, while it is on its node, and a busy
     * one is never more than a held one. (A batch it was running still completes its requests, and a node it leaves
     * empty is billed until then, as its pool's spare time: see {@link CostLedger}.)
     */
    void remove(Replica r, double t) {
        double x = Math.min(r.busyEnd, busyUntil) - t;
        if (x > 0) unbook(x, x * r.gpuWeight, x * r.memory);
        remove(r);
    }

    private void remove(Replica r) {
        int i = r.heapIndex;
        nrep--;
        if (i != nrep) {
            heap[i] = heap[nrep];
            heap[i].heapIndex = i;
            siftDown(i);
            siftUp(i);
        }
        heap[nrep] = null;
        r.heapIndex = -1;
        updateEarliestReady();
    }

    /** Marks every replica as already loaded at {@code t} (the run starts from a running system); returns how many were still to load. */
    int warmStart(double t) {
        int loading = 0;
        for (int i = 0; i < nrep; i++) {
            Replica r = heap[i];
            if (r.readyAt > t) loading++;
            r.readyAt = Math.min(r.readyAt, t);
            r.freeAt = Math.min(r.freeAt, t);
            if (r.slotEnd != null) for (int j = 0; j < r.slotEnd.length; j++) r.slotEnd[j] = Math.min(r.slotEnd[j], t);
        }
        updateEarliestReady();
        return loading;
    }

    List<Replica> replicas() {
        return new ArrayList<>(Arrays.asList(heap).subList(0, nrep));
    }

    private void siftUp(int i) {
        Replica x = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            Replica y = heap[p];
            if (y.freeAt <= x.freeAt) break;
            heap[i] = y;
            y.heapIndex = i;
            i = p;
        }
        heap[i] = x;
        x.heapIndex = i;
    }

    private void siftDown(int i) {
        Replica x = heap[i];
        int n = nrep;
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) break;
            if (c + 1 < n && heap[c + 1].freeAt < heap[c].freeAt) c++;
            if (heap[c].freeAt >= x.freeAt) break;
            heap[i] = heap[c];
            heap[i].heapIndex = i;
            i = c;
        }
        heap[i] = x;
        x.heapIndex = i;
    }
}
