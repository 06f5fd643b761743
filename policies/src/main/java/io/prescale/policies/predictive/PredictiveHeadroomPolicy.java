package io.prescale.policies.predictive;

import io.prescale.core.forecast.Forecaster;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PolicyContext;
import io.prescale.policies.baseline.PerModelPolicy;
import io.prescale.policies.sizing.ReplicaSizer;

import io.prescale.core.forecast.Forecast;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.PoolObservation;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.ReplicaFootprint;

import java.time.Duration;
import java.util.List;

/**
 * Allocates ahead of forecast demand: for each model, demand over the warm-up lead time (pool provisioning +
 * model load) plus one tick, turned into replicas by the queueing model ({@link ReplicaSizer}: batching and
 * the latency SLO). Demand is the level measured over the last {@code anomalyWindow} moved by the growth the
 * forecast expects over that horizon, times {@code anchorSafety} ({@code anchorToObserved}, the default:
 * the forecast's shape without its level error); or the forecast's {@code quantile} itself (P90) when
 * anchoring is off, nothing has been measured yet, or the window holds too few requests to measure a level
 * (sparse demand). The anchored demand does not read {@code quantile}: its growth is what the forecast's
 * P50 and P90 bands are both sure of ({@link DemandEstimate#growth}) and its margin is {@code anchorSafety}
 * (1.1); so at the defaults, on dense traffic, {@code quantile} only sets the forecast an anomaly is judged
 * against (its figures: policies/README.md). Scales up at once — the forecast
 * already looks one lead time ahead — and down only after the lower target has held for
 * {@code scaleDownDelay} (hysteresis against forecast noise). Falls back to the observed rate (times
 * {@code reactiveHeadroom}) for a model the forecaster cannot forecast, and for one it has never observed
 * ({@link Forecaster#knows}) whenever that says more than the forecaster's cold-start guess (zero demand with a
 * default band, which holds one replica before any traffic). With {@code sloFeedback} (the default), the demand planned for is scaled
 * by how the model's SLO has fared over the last ten minutes ({@link SloFeedback}): the fixed margins above
 * become a starting point that a model meeting its SLO with room to spare gives back. With {@code keepAlive > 0},
 * a model keeps one replica for that long after its last request (off by default). A model whose demand has
 * fallen far below its forecast (an anomaly: see {@code anomalyWindow}) is sized on what is observed, but keeps
 * one replica for up to {@code anomalyHold} after its last request while the forecast still expects traffic:
 * when the traffic returns at its usual rate, it finds a warm replica instead of a node and a model load.
 */
public final class PredictiveHeadroomPolicy extends PerModelPolicy<PredictiveHeadroomPolicy.State> {

    public record Params(double quantile, double maxUtilization, Duration scaleDownDelay, Duration tick,
                         boolean reactiveFloor, double reactiveHeadroom, Duration anomalyWindow, double anomalyRatio,
                         boolean anchorToObserved, double anchorSafety, double zeroBelowExpected, int spareNodes,
                         double backlogPerReplica, Duration burstWindow, boolean sloFeedback, Duration keepAlive,
                         Duration anomalyHold, double spareRequestsPerNode) {
        public static final Params DEFAULTS = new Params(0.9, 0.9, Duration.ofMinutes(5), Duration.ofSeconds(30), false, 1.2,
                Duration.ofMinutes(2), 0.1, true, 1.1, 0.5, 0, 4, Duration.ZERO, true, Duration.ZERO, Duration.ofHours(3), 0);

        public Params {
            if (!(quantile == 0.5 || quantile == 0.9 || quantile == 0.95)) throw new IllegalArgumentException("quantile must be 0.5, 0.9 or 0.95");
            if (!(maxUtilization > 0 && maxUtilization < 1)) throw new IllegalArgumentException("maxUtilization must be in (0, 1)");
            if (scaleDownDelay.isNegative()) throw new IllegalArgumentException("scaleDownDelay must be >= 0");
            if ((tick.isNegative() || tick.isZero())) throw new IllegalArgumentException("tick must be > 0");
            if (!(reactiveHeadroom >= 1)) throw new IllegalArgumentException("reactiveHeadroom must be >= 1");
            if (anomalyWindow.isNegative()) throw new IllegalArgumentException("anomalyWindow must be >= 0");
            if (!(anomalyRatio >= 0 && anomalyRatio < 1)) throw new IllegalArgumentException("anomalyRatio must be in [0, 1)");
            if (!(anchorSafety >= 1)) throw new IllegalArgumentException("anchorSafety must be >= 1");
            if (!(zeroBelowExpected >= 0)) throw new IllegalArgumentException("zeroBelowExpected must be >= 0");
            if (spareNodes < 0) throw new IllegalArgumentException("spareNodes must be >= 0");
            if (!(backlogPerReplica >= 1)) throw new IllegalArgumentException("backlogPerReplica must be >= 1");
            if (burstWindow.isNegative()) throw new IllegalArgumentException("burstWindow must be >= 0");
            if (keepAlive.isNegative()) throw new IllegalArgumentException("keepAlive must be >= 0");
            if (anomalyHold.isNegative()) throw new IllegalArgumentException("anomalyHold must be >= 0");
            if (!(spareRequestsPerNode >= 0)) throw new IllegalArgumentException("spareRequestsPerNode must be >= 0");
        }

        /** The same params with the reactive floor on or off (the hybrid policy's one difference). */
        public Params withReactiveFloor(boolean on) {
            return new Params(quantile, maxUtilization, scaleDownDelay, tick, on, reactiveHeadroom, anomalyWindow, anomalyRatio,
                    anchorToObserved, anchorSafety, zeroBelowExpected, spareNodes, backlogPerReplica, burstWindow, sloFeedback, keepAlive,
                    anomalyHold, spareRequestsPerNode);
        }
    }

    /** Requests a window must hold before its rate is trusted as a level (Poisson error about 1/sqrt(20) = 22 %). */
    static final int MIN_LEVEL_COUNT = 20;

    static final class State {
        long lowerSince = Long.MIN_VALUE;
        final RecentCount recent; // the model's arrivals over the last anomaly window
        long lastArrival = Long.MIN_VALUE;  // end of the last tick with an arrival
        double activeSeconds;               // time within burstWindow of an arrival, and the arrivals in it
        long activeArrivals;
        final SloFeedback feedback = new SloFeedback();
        double expected = Double.NaN;       // the demand (req/s) the last tick expected, before safety margins

        State(Duration anomalyWindow) {
            recent = new RecentCount(anomalyWindow);
        }
    }

    private final Params p;
    private final Forecaster forecaster;
    private final java.util.Map<String, RecentCount> poolArrivals = new java.util.HashMap<>(); // last hour, per pool

    public PredictiveHeadroomPolicy(Params p, PolicyContext ctx) {
        this("predictive.headroom", p, ctx);
    }

    PredictiveHeadroomPolicy(String id, Params p, PolicyContext ctx) {
        super(id, p.tick(), () -> new State(p.anomalyWindow()));
        this.p = p;
        this.forecaster = ctx.forecaster();
    }

    /** Arrival rate over the last anomaly window, NaN until the window has been observed in full. */
    private double recentRate(State s, ModelObservation m, Observation obs) {
        long count = s.recent.add(obs.nowNanos(), m.arrivals());
        long window = p.anomalyWindow().toNanos();
        if (window == 0) return Double.NaN;
        long covered = obs.nowNanos() - s.recent.oldestNanos() + obs.interval().toNanos();
        return covered >= window ? count / (covered / 1e9) : Double.NaN;
    }

    /**
     * Besides the replicas: with {@code spareNodes > 0}, each pool keeps that many nodes beyond what its
     * replicas need, ready, so a replica started for an unforeseen request pays only its model load, not a
     * node's provisioning (the warm-pool trade: idle nodes for short cold starts). What the replicas need is
     * the lower of two estimates: their count times the share of a node each takes, and the nodes they occupy
     * now as placed (a packer that shares GPUs by load fits more than the shares say) plus room for the
     * replicas this tick adds. With {@code spareRequestsPerNode > 0} the spares follow the pool's traffic: one per
     * that many requests over the last hour, at most {@code spareNodes}, none after an hour without a request
     * (a quiet night keeps no idle GPU for the few requests that would use it; a busy hour keeps more).
     */
    @Override
    public List<Decision> decide(Observation obs) {
        List<Decision> out = super.decide(obs);
        if (p.spareNodes() == 0) return out;
        java.util.Map<String, double[]> needed = new java.util.LinkedHashMap<>(); // {by shares, added by shares}
        for (Decision d : out) {
            if (d instanceof Decision.ScaleModel s) {
                ModelObservation m = obs.model(s.model()).orElseThrow();
                double share = obs.pool(m.spec().pool()).map(pool -> sharePerReplica(m, pool.shape())).orElse(1.0);
                double[] n = needed.computeIfAbsent(m.spec().pool(), k -> new double[2]);
                n[0] += s.replicas() * share;
                n[1] += Math.max(0, s.replicas() - m.replicas()) * share;
            }
        }
        List<Decision> all = new java.util.ArrayList<>(out);
        for (PoolObservation pool : obs.pools()) {
            double[] n = needed.get(pool.pool());
            if (n == null) continue; // only pools that host a model
            double replicasNeed = Math.min(n[0], pool.nodesInUse() + n[1]);
            int spare = p.spareNodes();
            if (p.spareRequestsPerNode() > 0) {
                long arrivals = 0;
                for (ModelObservation m : obs.models()) if (m.spec().pool().equals(pool.pool())) arrivals += m.arrivals();
                long lastHour = poolArrivals.computeIfAbsent(pool.pool(), k -> new RecentCount(Duration.ofHours(1))).add(obs.nowNanos(), arrivals);
                spare = (int) Math.min(spare, Math.ceil(lastHour / p.spareRequestsPerNode()));
            }
            all.add(new Decision.ResizePool(pool.pool(), (int) Math.ceil(replicasNeed - 1e-9) + spare));
        }
        return all;
    }

    /**
     * The share of a node one replica takes as the simulator packs it ({@link ReplicaFootprint#packingShare()}):
     * a whole node when exclusive, one over the instances a GPU holds under MIG, the larger of its compute and
     * memory share under MPS, its memory share under time slicing (which packs by memory alone).
     */
    static double sharePerReplica(ModelObservation m, PoolShape shape) {
        return ReplicaFootprint.of(shape, m.spec().needs()).packingShare();
    }

    /**
     * The demand, requests per second, expected for {@code model} at its last tick, before the safety margins its
     * target adds (reactive headroom, forecast quantile, anchor safety, SLO feedback): the forecast's mean, its peak
     * over the horizon; the anchored level times its growth; the observed rate where there is no forecast, the level
     * over the anomaly window where the forecast was found anomalous; never below the observed rate for a model the
     * forecaster has not seen, nor for the hybrid. NaN before its first tick.
     */
    double expectedRate(String model) {
        State s = stateOf(model);
        return s == null ? Double.NaN : s.expected;
    }

    /** A request reaching a model scaled to zero starts a replica at once; the forecast decides when to stop. */
    @Override
    public boolean scalesFromZeroOnArrival() {
        return true;
    }

    /**
     * Intermittent demand comes in bursts: a model idle for hours gets several requests within minutes. With
     * {@code burstWindow > 0}, a model is active for that long after a tick with arrivals, and while active it
     * holds the replicas its rate while active asks for (learnt from the past ticks it was active in), not
     * the long-run average's zero or one. Long jobs arriving in a burst then start in parallel instead of
     * queueing behind each other.
     */
    private int burstReplicas(State s, ModelObservation m, Observation obs, long now) {
        long window = p.burstWindow().toNanos();
        if (window == 0) return 0;
        // (the caller has moved lastArrival to now if this tick had arrivals)
        boolean active = s.lastArrival != Long.MIN_VALUE && now - s.lastArrival <= window;
        if (active) {
            s.activeSeconds += obs.intervalSeconds();
            s.activeArrivals += m.arrivals();
        }
        if (!active || !(s.activeSeconds > 0)) return 0;
        return ReplicaSizer.replicas(s.activeArrivals / s.activeSeconds, m.spec(), p.maxUtilization());
    }

    @Override
    protected int target(ModelObservation m, State s, Observation obs) {
        // capacity asked for now is ready after the lead time; capacity held now must also cover until then
        Duration horizon = DemandEstimate.lead(m, obs).plus(p.tick());
        Forecast fc = DemandEstimate.forecast(forecaster, m.model(), obs, horizon); // once per model and tick
        double forecast = DemandEstimate.rate(fc, p.quantile());
        double observed = DemandEstimate.observedRate(m, obs);
        double recent = recentRate(s, m, obs);
        double rate = Double.isNaN(forecast) ? observed * p.reactiveHeadroom() : forecast;
        // the same demand without the safety margins (headroom, quantile, anchorSafety, SLO feedback), the forecast's
        // mean where there is one: what the budget policy values a replica by
        double mean = Double.isNaN(forecast) ? observed : DemandEstimate.rate(fc, 0.0);
        // a model the forecaster has never observed gets its cold-start guess (zero demand, a default band that holds
        // one replica before any traffic): the observed rate decides as soon as it says more
        if (!Double.isNaN(forecast) && !forecaster.knows(m.model())) {
            rate = Math.max(rate, observed * p.reactiveHeadroom());
            mean = Math.max(mean, observed);
        }
        // demand far below the forecast for a whole anomaly window (an outage upstream, a collection gap, a
        // forecast gone wrong): trust what is observed rather than hold idle capacity
        double windowSeconds = p.anomalyWindow().toNanos() / 1e9;
        boolean anomaly = !Double.isNaN(recent) && rate * windowSeconds >= MIN_LEVEL_COUNT && recent < p.anomalyRatio() * rate;
        // while the forecast still expects traffic, a silent model keeps one replica (for anomalyHold): when the
        // traffic returns, it must not queue behind a node and a model load
        boolean expectedBack = anomaly && rate * horizon.toNanos() / 1e9 >= Math.max(1, p.zeroBelowExpected());
        if (anomaly) {
            rate = recent * p.reactiveHeadroom();
            mean = recent;
        }
        // anchored: the level measured over the last window, moved by the growth the forecast expects over the
        // lead time — the forecast's shape without its level error
        // only where the window holds enough requests to measure a level: sparse (intermittent) demand keeps
        // the forecast's quantile, which says how likely any request is over the lead time
        // (not when the forecast was just found anomalous: its shape is as suspect as its level)
        if (p.anchorToObserved() && !anomaly && !Double.isNaN(recent) && recent * windowSeconds >= MIN_LEVEL_COUNT) {
            double growth = DemandEstimate.growth(fc);
            if (!Double.isNaN(growth)) {
                rate = recent * growth * p.anchorSafety();
                mean = recent * growth;
            }
        }
        // SLO feedback: the demand the sizing plans for, scaled by how the SLO has fared lately (see SloFeedback)
        if (p.sloFeedback()) rate *= s.feedback.update(m, obs);
        // hybrid: never below what the load seen right now asks for (recovers from bad forecasts, unseen models).
        // Applied last, after anchoring and SLO feedback, which would otherwise replace or shrink it
        if (p.reactiveFloor()) {
            rate = Math.max(rate, observed * p.reactiveHeadroom());
            mean = Math.max(mean, observed);
        }
        s.expected = mean;
        // intermittent demand: hold no replica while fewer than zeroBelowExpected requests are expected over the
        // horizon (a request that comes anyway starts one); otherwise the queueing model decides
        double expected = rate * horizon.toNanos() / 1e9;
        int want = expected < p.zeroBelowExpected() ? 0 : ReplicaSizer.replicas(rate, m.spec(), p.maxUtilization());
        // requests already waiting must be served too. Where a replica loads faster than the SLO, replicas
        // started now still serve them in time: one per backlogPerReplica batches waiting. Where it loads
        // slower, they cannot; the queue only has to be drained over the lead time on top of the demand (a
        // burst a fast model clears in seconds must not start a fleet that arrives after it has cleared).
        // The SLO is the bound a request is judged by: its latency, or slowdown x its service when larger
        double horizonSeconds = horizon.toNanos() / 1e9;
        int backlog = m.spec().loadTime().toNanos() / 1e9 < m.spec().slo().boundSeconds(m.spec().latency().batchSeconds(1))
                ? (int) Math.ceil(m.queued() / (double) m.spec().maxBatch() / p.backlogPerReplica())
                : m.queued() == 0 ? 0 : ReplicaSizer.replicas(Math.max(rate, observed) + m.queued() / horizonSeconds, m.spec(), p.maxUtilization());
        want = Math.max(want, Math.min(backlog, m.spec().maxReplicas()));
        long now = obs.nowNanos();
        if (m.arrivals() > 0) s.lastArrival = now;
        want = Math.max(want, burstReplicas(s, m, obs, now));
        // keep-alive: one replica stays for keepAlive after the model's last request. Where GPUs are shared by
        // load, an idle replica costs its memory, not its SMs, and the next request of an intermittent model
        // finds it warm instead of paying a node and a model load
        long keep = p.keepAlive().toNanos();
        if (keep > 0 && s.lastArrival != Long.MIN_VALUE && now - s.lastArrival <= keep) want = Math.max(want, 1);
        if (expectedBack && s.lastArrival != Long.MIN_VALUE && now - s.lastArrival <= p.anomalyHold().toNanos()) want = Math.max(want, 1);
        int current = m.replicas();
        if (want >= current) {
            s.lowerSince = Long.MIN_VALUE;
            return want;
        }
        if (s.lowerSince == Long.MIN_VALUE) s.lowerSince = now;
        return now - s.lowerSince >= p.scaleDownDelay().toNanos() ? want : current;
    }
}
