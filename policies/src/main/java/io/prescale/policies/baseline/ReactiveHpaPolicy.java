package io.prescale.policies.baseline;

import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PolicyContext;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Kubernetes Horizontal Pod Autoscaler (autoscaling/v2 defaults), on replica utilisation:
 * {@code desired = ceil(ready × utilisation / target)}, skipped while |ratio − 1| ≤ tolerance;
 * scale-down takes the highest recommendation of the stabilisation window (300 s); scale-up is limited
 * to max(100 %, 4 pods) per 15 s period, as the default HPA behaviour. Never below one replica.
 */
public final class ReactiveHpaPolicy extends PerModelPolicy<ReactiveHpaPolicy.State> {

    public record Params(double targetUtilization, double tolerance, Duration syncPeriod,
                         Duration scaleDownStabilization, int scaleUpPods, double scaleUpPercent, int minReplicas) {
        public static final Params DEFAULTS = new Params(0.6, 0.1, Duration.ofSeconds(15), Duration.ofSeconds(300), 4, 100, 1);

        public Params {
            if (!(targetUtilization > 0 && targetUtilization <= 1)) throw new IllegalArgumentException("targetUtilization must be in (0, 1]");
            if (!(tolerance >= 0 && tolerance < 1)) throw new IllegalArgumentException("tolerance must be in [0, 1)");
            if ((syncPeriod.isNegative() || syncPeriod.isZero())) throw new IllegalArgumentException("syncPeriod must be > 0");
            if (scaleDownStabilization.isNegative()) throw new IllegalArgumentException("scaleDownStabilization must be >= 0");
            if (scaleUpPods < 1 || !(scaleUpPercent > 0)) throw new IllegalArgumentException("scale-up limits must be positive");
            if (minReplicas < 1) throw new IllegalArgumentException("minReplicas must be >= 1 (HPA cannot scale to zero)");
        }
    }

    static final class State {
        final ArrayDeque<long[]> recommendations = new ArrayDeque<>(); // {epochNanos, replicas}
    }

    private final Params p;

    public ReactiveHpaPolicy(Params p, PolicyContext ctx) {
        super("reactive.hpa", p.syncPeriod(), State::new);
        this.p = p;
    }

    @Override
    protected int target(ModelObservation m, State s, Observation obs) {
        int current = m.replicas();
        int desired = current;
        if (m.replicasReady() > 0 && !Double.isNaN(m.busyFraction())) {
            double ratio = m.busyFraction() / p.targetUtilization();
            // pods still starting count as 0 % busy when scaling up, as HPA does for unready pods
            if (Math.abs(ratio - 1) > p.tolerance()) {
                double usage = m.busyFraction() * m.replicasReady();
                desired = (int) Math.ceil(usage / p.targetUtilization() - 1e-9);
                // as replica_calculator.go on a scale-up (ratio > 1) with unready pods: those count at 0 % busy, and
                // where the ratio over all pods is within the tolerance or below 1 (the direction changed) it keeps
                // the current count; it never scales down on the ready pods alone then
                if (ratio > 1 && m.replicasStarting() > 0 && usage / (current * p.targetUtilization()) <= 1 + p.tolerance())
                    desired = current;
            }
        } else if (current == 0) {
            desired = p.minReplicas();
        }
        desired = Math.max(desired, p.minReplicas());
        long now = obs.nowNanos();
        // scale-down stabilisation: highest recommendation within the window
        s.recommendations.addLast(new long[]{now, desired});
        long horizon = now - p.scaleDownStabilization().toNanos();
        while (!s.recommendations.isEmpty() && s.recommendations.peekFirst()[0] < horizon) s.recommendations.removeFirst();
        int stabilized = desired;
        if (desired < current) {
            for (long[] r : s.recommendations) stabilized = (int) Math.max(stabilized, r[1]);
            stabilized = Math.min(stabilized, current);
        }
        if (stabilized > current) {
            // as the HPA's calculateScaleUpLimitWithScalingRules: the percent proposal is rounded up, or a small
            // count under a low percent (10 % of 3 = 3.3) would never grow by it
            int limit = (int) Math.max(current + p.scaleUpPods(), Math.ceil(current * (1 + p.scaleUpPercent() / 100.0) - 1e-9));
            stabilized = Math.min(stabilized, limit);
        }
        return stabilized;
    }
}
