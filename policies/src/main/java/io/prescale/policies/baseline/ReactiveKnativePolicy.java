package io.prescale.policies.baseline;

import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PolicyContext;

import java.time.Duration;

/**
 * Knative Pod Autoscaler (KPA) with its defaults: concurrency averaged over a 60 s stable window and a
 * 6 s panic window (10 %), target = containerConcurrency × 70 % utilisation; panic when the panic-window
 * demand reaches 200 % of ready capacity (zero ready pods counting as one), and while panicking provision for the
 * larger of the two windows and never scale down (for a stable window); scale-down at most halves, to
 * floor(ready / max-scale-down-rate 2), as knative/serving's autoscaler.Scale; scale to zero after the stable window sees no traffic
 * plus the 30 s grace period; the activator starts a replica on the first request.
 * {@code targetConcurrency = 0} means "the model's max batch" (containerConcurrency set to the batch size,
 * as KServe deployments of batched models do; Knative's 100 assumes web requests).
 */
public final class ReactiveKnativePolicy extends PerModelPolicy<ReactiveKnativePolicy.State> {

    public record Params(double targetConcurrency, double targetUtilization, Duration stableWindow,
                         double panicWindowPercentage, double panicThresholdPercentage, double maxScaleDownRate,
                         Duration scaleToZeroGracePeriod, Duration tick, boolean scaleToZero) {
        public static final Params DEFAULTS = new Params(0, 0.7, Duration.ofSeconds(60), 10, 200, 2,
                Duration.ofSeconds(30), Duration.ofSeconds(2), true);

        public Params {
            if (!(targetConcurrency >= 0 && targetConcurrency < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException("targetConcurrency must be >= 0 and finite");
            if ((stableWindow.isNegative() || stableWindow.isZero())) throw new IllegalArgumentException("stableWindow must be > 0");
            if (scaleToZeroGracePeriod.isNegative()) throw new IllegalArgumentException("scaleToZeroGracePeriod must be >= 0");
            if ((tick.isNegative() || tick.isZero())) throw new IllegalArgumentException("tick must be > 0");
            if (!(targetUtilization > 0 && targetUtilization <= 1)) throw new IllegalArgumentException("targetUtilization must be in (0, 1]");
            if (!(panicWindowPercentage > 0 && panicWindowPercentage <= 100)) throw new IllegalArgumentException("panicWindowPercentage must be in (0, 100]");
            if (!(panicThresholdPercentage > 100)) throw new IllegalArgumentException("panicThresholdPercentage must be > 100");
            if (!(maxScaleDownRate >= 1)) throw new IllegalArgumentException("maxScaleDownRate must be >= 1");
        }
    }

    static final class State {
        WindowAverage stable;
        WindowAverage panic;
        long panicUntil = Long.MIN_VALUE;
        long lastTraffic = Long.MIN_VALUE;
        long firstSeen = Long.MIN_VALUE;
        int maxPanicReplicas;
    }

    private final Params p;

    public ReactiveKnativePolicy(Params p, PolicyContext ctx) {
        super("reactive.knative", p.tick(), State::new);
        this.p = p;
    }

    @Override
    public boolean scalesFromZeroOnArrival() {
        return p.scaleToZero();
    }

    @Override
    protected int target(ModelObservation m, State s, Observation obs) {
        long now = obs.nowNanos();
        long stableNanos = p.stableWindow().toNanos();
        if (s.stable == null) {
            s.stable = new WindowAverage(stableNanos);
            s.panic = new WindowAverage((long) (stableNanos * p.panicWindowPercentage() / 100));
            s.firstSeen = now;
        }
        long dt = obs.interval().toNanos();
        double conc = m.meanConcurrency() + 0.0;
        s.stable.add(now, conc, dt);
        s.panic.add(now, conc, dt);
        if (m.arrivals() > 0 || m.queued() + m.inService() > 0) s.lastTraffic = now;

        double perReplica = (p.targetConcurrency() > 0 ? p.targetConcurrency() : m.spec().maxBatch()) * p.targetUtilization();
        // as Knative's autoscaler.Scale: the ready pods count as at least one; scale-down is bounded by
        // floor(ready / max-scale-down-rate), both windows' counts are kept in [that bound, ...]
        double ready = Math.max(1, m.replicasReady());
        int dspc = (int) Math.ceil(s.stable.average() / perReplica - 1e-9);
        int dppc = (int) Math.ceil(s.panic.average() / perReplica - 1e-9);
        int maxScaleDown = (int) Math.floor(ready / p.maxScaleDownRate());
        int desiredStable = Math.max(dspc, maxScaleDown);
        int desiredPanic = Math.max(dppc, maxScaleDown);

        if (dppc / ready >= p.panicThresholdPercentage() / 100) s.panicUntil = now + stableNanos;
        int desired = desiredStable;
        if (now < s.panicUntil) {
            // the larger of the two windows (the stable one can be the larger), and never a scale-down while panicking
            s.maxPanicReplicas = Math.max(s.maxPanicReplicas, Math.max(desiredStable, desiredPanic));
            desired = s.maxPanicReplicas;
        } else {
            s.maxPanicReplicas = 0;
        }
        // scale to zero only after a whole stable window without traffic, plus the grace period
        if (desired == 0) {
            boolean idleLongEnough = s.lastTraffic == Long.MIN_VALUE
                    ? now - s.firstSeen >= stableNanos + p.scaleToZeroGracePeriod().toNanos()
                    : now - s.lastTraffic >= stableNanos + p.scaleToZeroGracePeriod().toNanos();
            if (p.scaleToZero() && idleLongEnough) return 0;
            desired = m.replicas() > 0 ? 1 : 0;
        }
        if (!p.scaleToZero()) desired = Math.max(desired, 1);
        return desired;
    }
}
