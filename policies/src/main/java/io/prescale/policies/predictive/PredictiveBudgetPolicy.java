package io.prescale.policies.predictive;

import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;
import io.prescale.core.policy.PoolObservation;
import io.prescale.core.resource.ReplicaFootprint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The hybrid predictive policy under a cost cap per hour. Each model first asks for what the hybrid policy
 * would give it; when the total would cost more than {@code maxCostPerHour}, capacity is handed out one
 * replica at a time by static priority class first, then by marginal value (the share of the model's
 * demand the next replica covers — the SLO it buys), until the budget is spent. Models left short are
 * named in a {@link Decision.NoOp} so the run's report says who was short and by how much.
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
            asks.add(new Ask(m, s.replicas(), price));
            total += s.replicas() * price;
        }
        double budget = p.maxCostPerHour() * followBill(obs);
        if (total <= budget) return wanted;
        // over budget: everybody's minimum first, then one replica at a time by priority and marginal value
        double left = budget;
        for (Ask a : asks) {
            a.granted = Math.min(a.wanted, a.m.spec().minReplicas());
            left -= a.granted * a.price;
        }
        while (true) {
            Ask best = null;
            for (Ask a : asks) {
                if (a.granted >= a.wanted || a.price > left + 1e-9 * budget) continue; // a cap that buys exactly n buys n
                if (best == null || ORDER.compare(a, best) < 0) best = a;
            }
            if (best == null) break;
            best.granted++;
            left -= best.price;
        }
        List<Decision> out = new ArrayList<>();
        StringBuilder shortOf = new StringBuilder();
        for (Ask a : asks) {
            out.add(new Decision.ScaleModel(a.m.model(), a.granted));
            if (a.granted < a.wanted) shortOf.append(String.format(Locale.ROOT, " %s -%d", a.m.model(), a.wanted - a.granted));
        }
        out.add(new Decision.NoOp("budget " + p.maxCostPerHour() + " USD/h binds" + (billFactor < 1
                ? String.format(Locale.ROOT, " (grants priced against %.1f: the bill ran over)", budget) : "") + "; short:" + shortOf));
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

    /** Priority class first (critical before batch), then the larger share of demand the next replica covers. */
    private static final Comparator<Ask> ORDER = Comparator
            .comparing((Ask a) -> a.m.spec().priority())
            .thenComparing(Comparator.comparingDouble((Ask a) -> 1.0 / (a.granted + 1)).reversed())
            .thenComparing(a -> a.m.model());

    private static final class Ask {
        final ModelObservation m;
        final int wanted;
        final double price;
        int granted;

        Ask(ModelObservation m, int wanted, double price) {
            this.m = m;
            this.wanted = wanted;
            this.price = price;
        }
    }

    @Override
    public void forget(String model) {
        inner.forget(model);
    }
}
