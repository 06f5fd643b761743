package io.prescale.policies.baseline;

import io.prescale.core.policy.DemandOracle;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PolicyContext;
import io.prescale.policies.sizing.ReplicaSizer;

import java.time.Duration;
import java.time.Instant;

/**
 * The oracle: knows every future arrival. For each model it looks ahead over the warm-up lead time
 * (pool provisioning + model load + one tick) and holds the replicas the busiest sub-window of that
 * look-ahead needs, so capacity is ready exactly when demand comes and released as soon as restarting
 * later is cheaper than idling. It is a reference sized on the future demand with the same queueing model,
 * not an optimal schedule (a tuned policy can come in under it), and never a deployable policy. It knows the
 * future work too: on a request trace the latency profile it sizes with ({@code m.spec()}) is calibrated to the mean
 * service time of every request of the trace, where deployable policies see only the requests known before the tick.
 */
public final class OraclePolicy extends PerModelPolicy<Void> {

    public record Params(Duration subWindow, double maxUtilization, Duration tick) {
        /**
         * Sized at 95 % of full-batch throughput: the tightest target at which it still serves every shipped
         * trace at ≥ 99 % (100 % on ServeGen and Alibaba, 99.5 % on NASA), so that it is as tight a reference as
         * it can be (at 85 % a tuned deployable policy undercut it on ServeGen).
         */
        public static final Params DEFAULTS = new Params(Duration.ofSeconds(20), 0.95, Duration.ofSeconds(10));

        public Params {
            if (subWindow.isNegative() || subWindow.isZero()) throw new IllegalArgumentException("subWindow must be > 0");
            if (!(maxUtilization > 0 && maxUtilization < 1)) throw new IllegalArgumentException("maxUtilization must be in (0, 1)");
            if ((tick.isNegative() || tick.isZero())) throw new IllegalArgumentException("tick must be > 0");
        }
    }

    private final Params p;
    private final DemandOracle oracle;

    public OraclePolicy(Params p, PolicyContext ctx) {
        super("oracle", p.tick(), () -> null);
        this.p = p;
        this.oracle = ctx.oracle().orElseThrow(() -> new IllegalArgumentException("oracle needs the future demand (simulation only)"));
    }

    @Override
    protected int target(ModelObservation m, Void unused, Observation obs) {
        Duration provisioning = obs.pool(m.spec().pool()).map(x -> x.shape().provisioningDelay()).orElse(Duration.ZERO);
        Duration lead = provisioning.plus(m.spec().loadTime()).plus(p.tick()).plus(p.tick());
        double sub = seconds(p.subWindow());
        int steps = (int) Math.ceil(seconds(lead) / sub);
        Instant t = obs.now();
        int need = 0;
        for (int i = 0; i <= steps; i++) {
            Instant a = t.plusNanos((long) (i * sub * 1e9));
            if (!a.isBefore(oracle.end())) break; // nothing is known to come after it
            double n = oracle.arrivals(m.model(), a, a.plusNanos((long) (sub * 1e9)));
            if (n > 0) need = Math.max(need, ReplicaSizer.replicas(n / sub, m.spec(), p.maxUtilization()));
        }
        // requests already in the system must finish: keep a replica per max batch of them
        int inSystem = (int) Math.ceil((m.queued() + m.inService()) / (double) m.spec().maxBatch());
        return Math.max(need, Math.min(inSystem, m.replicas()));
    }
}
