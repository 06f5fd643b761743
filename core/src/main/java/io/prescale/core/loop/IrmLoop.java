package io.prescale.core.loop;

import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.Policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The one Inference Resource Manager loop, shared by the simulator (virtual clock) and the live runner
 * (system clock): observe the cluster, feed the demand to the forecaster, let the policy decide,
 * apply its decisions. Whoever owns the clock calls {@link #tick} every {@link Policy#controlInterval()}.
 */
public final class IrmLoop {
    private final Policy policy;
    private final DemandAggregator demand;
    private final Cluster cluster;
    private Instant lastTick;

    public IrmLoop(Policy policy, DemandAggregator demand, Cluster cluster) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.demand = Objects.requireNonNull(demand, "demand");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    public Policy policy() {
        return policy;
    }

    /** Forgets a model removed from the cluster: its demand, its forecasts and the policy's state of it. */
    public void forget(String model) {
        demand.forget(model);
        policy.forget(model);
    }

    /** One control step at {@code now}; returns what the policy decided (already applied). */
    public List<Decision> tick(Instant now) {
        Observation obs = cluster.observe(now);
        Instant from = lastTick == null ? now.minus(obs.interval()) : lastTick;
        for (ModelObservation m : obs.models()) demand.add(m.model(), from, now, m.arrivals(), m.demandMasked());
        lastTick = now;
        List<Decision> decisions = policy.decide(obs);
        cluster.applyAll(decisions);
        return decisions;
    }
}
