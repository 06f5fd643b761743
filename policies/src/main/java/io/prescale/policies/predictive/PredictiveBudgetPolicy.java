package io.prescale.policies.predictive;

import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;
import io.prescale.core.policy.PoolObservation;
import io.prescale.core.resource.ReplicaFootprint;
import io.prescale.policies.sizing.ReplicaSizer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The hybrid predictive policy under a cost cap per hour. Each model first asks for what the hybrid policy
 * would give it; when the total would cost more than {@code maxCostPerHour}, capacity is handed out one
 * replica at a time: by static priority class first; within a class, the first replica of every model with
 * demand before anyone's second (without one, each of its requests waits for a node and a model load, longer than
 * most SLOs); then by marginal value, the requests per second the next replica lets meet the SLO, per dollar.
 * A model's demand is the rate the hybrid expects for it without its safety margins
 * ({@link PredictiveHeadroomPolicy#expectedRate}: a margin is no demand a replica serves); {@code n} replicas serve
 * within the SLO up to {@link ReplicaSizer#capacity}, so the next replica buys
 * {@code min(demand, capacity(n + 1)) - min(demand, capacity(n))}, over the whole horizon (lead time plus one tick)
 * if the model holds it already (ready or loading), over the last tick only, {@code tick / (lead + tick)} of that,
 * if it must be started: taking a replica from one model to start one for another pays a node and a model load.
 * A replica held only by the scale-down delay, beyond what the demand needs, buys nothing and goes last. Ties go
 * to a replica the model holds, then to the model with fewer replicas, then by name. Under a cap too tight for a
 * first replica each, the models with the least demand per dollar are left without one. Models left short are
 * named in a {@link Decision.NoOp} (its text for people, {@link Decision.NoOp#heldBack} for the simulator's report of
 * who was short and by how much).
 *
 * <p>A replica costs its node's price per hour times the part of the node it is billed for
 * ({@link ReplicaFootprint#pricePerHour}: a whole node when exclusive, one over the instances of its MIG
 * profile a GPU holds, its MPS or time-sliced share), what the simulator's split of a node's bill charges each
 * replica of a node full of its kind, so the cap is in the bill's terms.
 * Shares miss what the bill also pays for: the idle part of a GPU a lone replica holds, and nodes that are
 * still provisioning or already draining. So the cap the grants are priced against follows the bill: while
 * the pools' observed cost per hour is above the cap, it shrinks in proportion (at most {@link #BILL_STEP} a
 * tick, down to {@link #BILL_FLOOR} of the cap); while the bill is under {@link #BILL_SLACK} of the cap, it
 * grows back by {@link #BILL_RELAX} a tick.
 */
public final class PredictiveBudgetPolicy implements Policy {

    public record Params(double maxCostPerHour, PredictiveHeadroomPolicy.Params base) {
        public static final Params DEFAULTS = new Params(1000.0, PredictiveHybridPolicy.DEFAULTS);

        public Params {
            if (!(maxCostPerHour > 0)) throw new IllegalArgumentException("maxCostPerHour must be > 0");
        }
    }

    static final double BILL_STEP = 0.97, BILL_FLOOR = 0.5, BILL_SLACK = 0.95, BILL_RELAX = 1.01;

    private final Params p;
    private final PredictiveHeadroomPolicy inner;
    /** The part of the cap the grants may spend, steered by the observed bill. */
    private double billFactor = 1.0;

    public PredictiveBudgetPolicy(Params p, PolicyContext ctx) {
        this.p = p;
        this.inner = PredictiveHybridPolicy.create(p.base(), ctx);
    }

    @Override
    public String id() {
        return "predictive.budget";
    }

    @Override
    public Duration controlInterval() {
        return inner.controlInterval();
    }

    @Override
    public List<Decision> decide(Observation obs) {
        List<Decision> wanted = inner.decide(obs);
        List<Ask> asks = new ArrayList<>();
        double total = 0;
        for (Decision d : wanted) {
            if (!(d instanceof Decision.ScaleModel s)) continue;
            ModelObservation m = obs.model(s.model()).orElseThrow();
            double price = obs.pool(m.spec().pool()).map(PoolObservation::shape)
                    .map(shape -> ReplicaFootprint.pricePerHour(shape, m.spec().needs())).orElse(0.0);
            double demand = inner.expectedRate(m.model());
            double horizon = DemandEstimate.lead(m, obs).plus(inner.controlInterval()).toNanos() / 1e9;
            double tick = inner.controlInterval().toNanos() / 1e9;
            asks.add(new Ask(m, s.replicas(), price, Double.isNaN(demand) ? 0 : demand,
                    p.base().maxUtilization(), tick / horizon));
            total += s.replicas() * price;
        }
        double budget = p.maxCostPerHour() * followBill(obs);
        if (total <= budget) return wanted;
        // over budget: everybody's minimum first, then one replica at a time by priority and marginal value
        double left = budget;
        for (Ask a : asks) {
            a.start(Math.min(a.wanted, a.m.spec().minReplicas()));
            left -= a.granted * a.price;
        }
        while (true) {
            Ask best = null;
            for (Ask a : asks) {
                if (a.granted >= a.wanted || a.price > left + 1e-9 * budget) continue; // a cap that buys exactly n buys n
                if (best == null || ORDER.compare(a, best) < 0) best = a;
            }
            if (best == null) break;
            best.grant();
            left -= best.price;
        }
        List<Decision> out = new ArrayList<>();
        StringBuilder shortOf = new StringBuilder();
        Map<String, Integer> heldBack = new LinkedHashMap<>();
        for (Ask a : asks) {
            out.add(new Decision.ScaleModel(a.m.model(), a.granted));
            if (a.granted < a.wanted) {
                shortOf.append(String.format(Locale.ROOT, " %s -%d", a.m.model(), a.wanted - a.granted));
                heldBack.merge(a.m.model(), a.wanted - a.granted, Integer::sum);
            }
        }
        out.add(new Decision.NoOp("budget " + p.maxCostPerHour() + " USD/h binds" + (billFactor < 1
                ? String.format(Locale.ROOT, " (grants priced against %.1f: the bill ran over)", budget) : "") + "; short:" + shortOf, heldBack));
        return out;
    }

    /** Updates and returns the part of the cap the grants may spend, from the pools' cost per hour now. */
    private double followBill(Observation obs) {
        double bill = obs.pools().stream().mapToDouble(PoolObservation::costPerHour).sum();
        double cap = p.maxCostPerHour();
        if (bill > cap) billFactor = Math.max(BILL_FLOOR, billFactor * Math.max(BILL_STEP, cap / bill));
        else if (bill < BILL_SLACK * cap) billFactor = Math.min(1.0, billFactor * BILL_RELAX);
        return billFactor;
    }

    /**
     * Priority class first (critical before batch), then a model's first replica (if it has demand) before anyone's
     * second, then the more SLO-meeting requests per dollar the next replica buys, then a replica the model holds
     * before one to start, then fewer replicas, then the name.
     */
    private static final Comparator<Ask> ORDER = Comparator
            .comparing((Ask a) -> a.m.spec().priority())
            .thenComparing((Ask a) -> !(a.granted == 0 && a.hasDemand())) // a first replica before anyone's second
            .thenComparing(Comparator.comparingDouble((Ask a) -> a.nextValue).reversed())
            .thenComparing((Ask a) -> a.granted >= a.m.replicas()) // one it holds before one to start
            .thenComparingInt((Ask a) -> a.granted)
            .thenComparing(a -> a.m.model());

    private static final class Ask {
        final ModelObservation m;
        final int wanted;
        final double price;
        final double demand;          // requests per second to serve within the SLO
        final double maxUtilization;  // the sizing's utilisation bound
        int granted;
        double servedNow;             // SLO-meeting requests per second the granted replicas serve
        final double newShare;        // the part of the horizon a replica started now serves: tick / (lead + tick)
        double nextValue;             // what one more buys, per USD an hour

        Ask(ModelObservation m, int wanted, double price, double demand, double maxUtilization, double newShare) {
            this.m = m;
            this.wanted = wanted;
            this.price = price;
            this.demand = demand;
            this.maxUtilization = maxUtilization;
            this.newShare = newShare;
        }

        void start(int replicas) {
            granted = replicas;
            servedNow = served(granted);
            value();
        }

        void grant() {
            granted++;
            servedNow = served(granted);
            value();
        }

        /** Demand expected, or requests arriving or waiting now. */
        boolean hasDemand() {
            return demand > 0 || m.arrivals() > 0 || m.queued() > 0;
        }

        private double served(int replicas) {
            if (!(demand > 0)) return 0;
            return Math.min(demand, ReplicaSizer.capacity(replicas, m.spec(), maxUtilization));
        }

        private void value() {
            double more = servedNow >= demand ? 0 : served(granted + 1) - servedNow;
            if (granted >= m.replicas()) more *= newShare; // not there yet: it serves only once loaded
            nextValue = more <= 0 ? 0 : price > 0 ? more / price : Double.POSITIVE_INFINITY;
        }
    }

    @Override
    public void forget(String model) {
        inner.forget(model);
    }
}
