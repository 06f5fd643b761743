package io.prescale.policies.baseline;

import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PolicyContext;

import java.time.Duration;

/**
 * Serverless fixed keep-alive (the baseline of Shahrad et al., "Serverless in the Wild", ATC'20: a fixed
 * 10-minute keep-alive as on the commercial platforms they studied): a request reaching a model with no
 * replica starts one at once, replicas follow concurrency (one per max batch of requests in the system),
 * and each replica stays loaded until it has been unneeded for the keep-alive window.
 */
public final class KeepAliveFixedPolicy extends PerModelPolicy<KeepAliveFixedPolicy.State> {

    public record Params(Duration keepAlive, Duration tick) {
        public static final Params DEFAULTS = new Params(Duration.ofMinutes(10), Duration.ofSeconds(5));

        public Params {
            if (keepAlive.isNegative()) throw new IllegalArgumentException("keepAlive must be >= 0");
            if ((tick.isNegative() || tick.isZero())) throw new IllegalArgumentException("tick must be > 0");
        }
    }

    static final class State {
        WindowMax needed;
    }

    private final Params p;

    public KeepAliveFixedPolicy(Params p, PolicyContext ctx) {
        super("keepalive.fixed", p.tick(), State::new);
        this.p = p;
    }

    @Override
    public boolean scalesFromZeroOnArrival() {
        return true;
    }

    @Override
    protected int target(ModelObservation m, State s, Observation obs) {
        if (s.needed == null) s.needed = new WindowMax(Math.max(1, p.keepAlive().toNanos()));
        long now = obs.nowNanos();
        return (int) s.needed.add(now, neededNow(m));
    }

    /** Replicas the requests in the system need right now: one per max batch, one if anything arrived. */
    static int neededNow(ModelObservation m) {
        int needed = (int) Math.ceil((m.queued() + m.inService()) / (double) m.spec().maxBatch());
        return m.arrivals() > 0 ? Math.max(needed, 1) : needed;
    }
}
