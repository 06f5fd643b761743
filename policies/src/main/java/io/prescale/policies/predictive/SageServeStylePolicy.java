package io.prescale.policies.predictive;

import io.prescale.core.forecast.Forecaster;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PolicyContext;
import io.prescale.policies.baseline.PerModelPolicy;
import io.prescale.policies.sizing.ReplicaSizer;

import java.time.Duration;

/**
 * SageServe-style scaling (Jaiswal et al., 2025): an ARIMA forecast of demand for the next provisioning
 * period (the simulator wires the {@code arima} forecaster for this policy), sized by throughput at a
 * target utilisation and re-planned once per period, with a reactive safety net when observed load exceeds
 * the plan. The paper's integer program allocates instances across models and regions under each region's
 * capacity; in one region whose pool can grow, as every shipped catalog's, it separates into each model's
 * smallest count that covers its forecast, which is what this computes model by model. A pool with a node cap
 * is not planned jointly here: the cluster's priority rule shares it, as for every other policy.
 */
public final class SageServeStylePolicy extends PerModelPolicy<SageServeStylePolicy.State> {

    public record Params(Duration period, double maxUtilization, Duration tick) {
        public static final Params DEFAULTS = new Params(Duration.ofMinutes(15), 0.8, Duration.ofSeconds(60));

        public Params {
            if (!(maxUtilization > 0 && maxUtilization < 1)) throw new IllegalArgumentException("maxUtilization must be in (0, 1)");
            if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be > 0");
            if (tick.isNegative() || tick.isZero()) throw new IllegalArgumentException("tick must be > 0");
        }
    }

    static final class State {
        long planFor = Long.MIN_VALUE;
        int planned;
    }

    private final Params p;
    private final Forecaster forecaster;

    public SageServeStylePolicy(Params p, PolicyContext ctx) {
        super("predictive.sageserve-style", p.tick(), State::new);
        this.p = p;
        this.forecaster = ctx.forecaster();
    }

    @Override
    protected int target(ModelObservation m, State s, Observation obs) {
        long now = obs.nowNanos();
        long period = p.period().toNanos();
        long slot = Math.floorDiv(now, period);
        if (slot != s.planFor) {
            Duration horizon = DemandEstimate.lead(m, obs).plus(p.period());
            double f = DemandEstimate.forecastRate(forecaster, m.model(), obs, horizon, 0.5);
            double rate = Double.isNaN(f) ? DemandEstimate.observedRate(m, obs) : f;
            s.planned = ReplicaSizer.replicas(rate, m.spec(), p.maxUtilization());
            s.planFor = slot;
        }
        int reactive = ReplicaSizer.replicas(DemandEstimate.observedRate(m, obs), m.spec(), p.maxUtilization());
        return Math.max(Math.max(s.planned, reactive), m.arrivals() > 0 ? 1 : 0);
    }
}
