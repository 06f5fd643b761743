package io.prescale.policies.baseline;

import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PolicyContext;

import java.time.Duration;

/**
 * Ray Serve's default autoscaler: {@code desired = ceil(ongoing requests averaged over look_back_period
 * / target_ongoing_requests)}, smoothed by the up/down-scaling factors; a change is applied only after it
 * has been asked for continuously for upscale_delay_s (30 s) or downscale_delay_s (600 s).
 * Defaults as in Ray Serve 2.x: target_ongoing_requests 2, look_back_period_s 30, metrics_interval_s 10,
 * min_replicas 1.
 */
public final class ReactiveRayServePolicy extends PerModelPolicy<ReactiveRayServePolicy.State> {

    public record Params(double targetOngoingRequests, Duration lookBackPeriod, Duration metricsInterval,
                         Duration upscaleDelay, Duration downscaleDelay, double upscalingFactor,
                         double downscalingFactor, int minReplicas) {
        public static final Params DEFAULTS = new Params(2, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(600), 1.0, 1.0, 1);

        public Params {
            if (!(targetOngoingRequests > 0 && targetOngoingRequests < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException("targetOngoingRequests must be > 0 and finite");
            if ((lookBackPeriod.isNegative() || lookBackPeriod.isZero())) throw new IllegalArgumentException("lookBackPeriod must be > 0");
            if ((metricsInterval.isNegative() || metricsInterval.isZero())) throw new IllegalArgumentException("metricsInterval must be > 0");
            if (upscaleDelay.isNegative()) throw new IllegalArgumentException("upscaleDelay must be >= 0");
            if (downscaleDelay.isNegative()) throw new IllegalArgumentException("downscaleDelay must be >= 0");
            if (!(upscalingFactor > 0) || !(downscalingFactor > 0)) throw new IllegalArgumentException("scaling factors must be > 0");
            if (minReplicas < 0) throw new IllegalArgumentException("minReplicas must be >= 0");
        }
    }

    static final class State {
        WindowAverage ongoing;
        long wantUpSince = Long.MIN_VALUE;
        long wantDownSince = Long.MIN_VALUE;
    }

    private final Params p;

    public ReactiveRayServePolicy(Params p, PolicyContext ctx) {
        super("reactive.ray-serve", p.metricsInterval(), State::new);
        this.p = p;
    }

    @Override
    public boolean scalesFromZeroOnArrival() {
        return p.minReplicas() == 0;
    }

    @Override
    protected int target(ModelObservation m, State s, Observation obs) {
        long now = obs.nowNanos();
        if (s.ongoing == null) s.ongoing = new WindowAverage(p.lookBackPeriod().toNanos());
        s.ongoing.add(now, m.meanConcurrency(), obs.interval().toNanos());
        int current = m.replicas();
        if (m.replicasReady() == 0) {
            // as Ray's replica_queue_length_autoscaling_policy with no running replica: no ratio (nothing reports
            // ongoing requests per replica), but one replica (times the upscaling factor) at once if requests wait,
            // else the target held; the delay counters are left as they were
            int target = Math.max(current, p.minReplicas());
            boolean waiting = m.arrivals() > 0 || m.queued() + m.inService() > 0;
            return waiting ? Math.max((int) Math.ceil(p.upscalingFactor() - 1e-9), target) : target;
        }
        // as Ray's _calculate_desired_num_replicas: the error ratio over the running replicas, its distance to 1
        // smoothed by the up- or down-scaling factor; compared below with the target (running plus starting)
        int running = m.replicasReady();
        double raw = s.ongoing.average() / p.targetOngoingRequests();
        int desired;
        if (raw >= running) desired = (int) Math.ceil(running + p.upscalingFactor() * (raw - running) - 1e-9);
        else desired = (int) Math.ceil(running - p.downscalingFactor() * (running - raw) - 1e-9);
        // "stuck" by the smoothing (the load alone would scale down, the smoothed count stays): one fewer, as Ray does
        if ((int) Math.ceil(raw - 1e-9) < running && desired == running) desired--;
        desired = Math.max(desired, p.minReplicas());
        if (desired > current) {
            s.wantDownSince = Long.MIN_VALUE;
            if (s.wantUpSince == Long.MIN_VALUE) s.wantUpSince = now;
            return now - s.wantUpSince >= p.upscaleDelay().toNanos() ? desired : current;
        }
        if (desired < current) {
            s.wantUpSince = Long.MIN_VALUE;
            if (s.wantDownSince == Long.MIN_VALUE) s.wantDownSince = now;
            return now - s.wantDownSince >= p.downscaleDelay().toNanos() ? desired : current;
        }
        s.wantUpSince = Long.MIN_VALUE;
        s.wantDownSince = Long.MIN_VALUE;
        return current;
    }
}
