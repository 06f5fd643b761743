package io.prescale.policies.predictive;

import io.prescale.core.forecast.Forecaster;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PolicyContext;
import io.prescale.policies.baseline.PerModelPolicy;
import io.prescale.policies.sizing.ReplicaSizer;

import java.time.Duration;

/**
 * AWS EC2 Auto Scaling predictive scaling, re-implemented. AWS forecasts load for each hour and schedules that hour's
 * capacity at its start, launching it {@code SchedulingBufferTime} (300 s by default, here {@code preLaunch}) early.
 * Here the minimum capacity is sized (at {@code maxUtilization}) for the highest 10-minute mean the forecaster
 * predicts between now and the end of the hour whose capacity must be in place: the current hour, or, from
 * {@code preLaunch} before the next hour, the rest of this one and all of the next. The forecasters work in
 * 10-minute steps, so an hour is sized for its busiest 10 minutes, at least its mean: AWS's hourly figure is an
 * hourly mean, which would leave an hour's busiest minutes short of capacity it keeps all hour; this reading is the
 * more generous to the baseline. Capacity never scales in on the forecast: scale-in comes only from the dynamic
 * (target-tracking) part, here a utilisation rule ({@code targetUtilization} of busy time) with a 300 s cool-down,
 * as AWS pairs the two, and stops at the forecast's minimum.
 */
public final class AwsPredictivePolicy extends PerModelPolicy<AwsPredictivePolicy.State> {

    public record Params(Duration forecastPeriod, Duration preLaunch, double maxUtilization, double targetUtilization,
                         Duration scaleInCooldown, Duration tick) {
        public static final Params DEFAULTS = new Params(Duration.ofHours(1), Duration.ofSeconds(300), 0.8, 0.6,
                Duration.ofSeconds(300), Duration.ofSeconds(60));

        public Params {
            if (!(maxUtilization > 0 && maxUtilization < 1)) throw new IllegalArgumentException("maxUtilization must be in (0, 1)");
            if (!(targetUtilization > 0 && targetUtilization <= 1)) throw new IllegalArgumentException("targetUtilization must be in (0, 1]");
            if (forecastPeriod.isNegative() || forecastPeriod.isZero()) throw new IllegalArgumentException("forecastPeriod must be > 0");
            if (preLaunch.isNegative()) throw new IllegalArgumentException("preLaunch must be >= 0");
            if (scaleInCooldown.isNegative()) throw new IllegalArgumentException("scaleInCooldown must be >= 0");
            if (tick.isNegative() || tick.isZero()) throw new IllegalArgumentException("tick must be > 0");
        }
    }

    static final class State {
        long lastScaleIn = Long.MIN_VALUE;
    }

    private final Params p;
    private final Forecaster forecaster;

    public AwsPredictivePolicy(Params p, PolicyContext ctx) {
        super("predictive.aws-style", p.tick(), State::new);
        this.p = p;
        this.forecaster = ctx.forecaster();
    }

    @Override
    protected int target(ModelObservation m, State s, Observation obs) {
        long now = obs.nowNanos();
        long period = p.forecastPeriod().toNanos();
        // the hour whose capacity must be in place: the next one once we are within pre-launch of it; the minimum
        // covers the peak 10-minute mean forecast from now to that hour's end
        long hourStart = Math.floorDiv(now + p.preLaunch().toNanos(), period) * period;
        double forecast = DemandEstimate.forecastRate(forecaster, m.model(), obs,
                Duration.ofNanos(hourStart + period - now), 0.0);
        int minCapacity = Double.isNaN(forecast) ? 0 : ReplicaSizer.replicas(forecast, m.spec(), p.maxUtilization());
        int current = m.replicas();
        int dynamic = current;
        if (m.replicasReady() > 0 && !Double.isNaN(m.busyFraction())) {
            dynamic = (int) Math.ceil(m.busyFraction() * m.replicasReady() / p.targetUtilization() - 1e-9);
        } else if (current == 0 && m.arrivals() > 0) {
            dynamic = 1;
        }
        int want = Math.max(Math.max(minCapacity, dynamic), 1); // never below the forecast's capacity: no scale-in on it
        if (want < current) {
            if (s.lastScaleIn != Long.MIN_VALUE && now - s.lastScaleIn < p.scaleInCooldown().toNanos()) return current;
            s.lastScaleIn = now;
        }
        return want;
    }
}
