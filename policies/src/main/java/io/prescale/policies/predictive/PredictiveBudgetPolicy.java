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
 * ({@link ReplicaFootprint#share()}: a whole node when exclusive, its MIG slices, its MPS or time-sliced
 * share), the same share the simulator splits a shared node's bill by, so the cap is in the bill's terms.
 */
public final class PredictiveBudgetPolicy implements Policy {

    public record Params(double maxCostPerHour, PredictiveHeadroomPolicy.Params base) {
        public static final Params DEFAULTS = new Params(1000.0, PredictiveHybridPolicy.DEFAULTS);

        public Params {
            if (!(maxCostPerHour > 0)) throw new IllegalArgumentException("maxCostPerHour must be > 0");
        }
    }

    private final Params p;
    private final PredictiveHeadroomPolicy inner;

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
        if (total <= p.maxCostPerHour()) return wanted;
        // over budget: everybody's minimum first, then one replica at a time by priority and marginal value
        double left = p.maxCostPerHour();
        for (Ask a : asks) {
            a.granted = Math.min(a.wanted, a.m.spec().minReplicas());
            left -= a.granted * a.price;
        }
        while (true) {
            Ask best = null;
            for (Ask a : asks) {
                if (a.granted >= a.wanted || a.price > left) continue;
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
        out.add(new Decision.NoOp("budget " + p.maxCostPerHour() + " USD/h binds; short:" + shortOf));
        return out;
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
}
