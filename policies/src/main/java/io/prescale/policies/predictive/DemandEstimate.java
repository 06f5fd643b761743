package io.prescale.policies.predictive;

import io.prescale.core.forecast.Forecast;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;

import java.time.Duration;

/** Turns forecasts and observations into request rates (per second) for sizing. */
final class DemandEstimate {
    private DemandEstimate() {}

    /** Warm-up lead time of a model: its pool's provisioning delay plus its own load time. */
    static Duration lead(ModelObservation m, Observation obs) {
        Duration provisioning = obs.pool(m.spec().pool()).map(p -> p.shape().provisioningDelay()).orElse(Duration.ZERO);
        return provisioning.plus(m.spec().loadTime());
    }

    /**
     * Highest forecast rate at quantile {@code q} over [now, now + horizon), or NaN when the forecaster cannot
     * forecast this series yet (unseen model, too little history).
     */
    static double forecastRate(Forecaster f, String model, Observation obs, Duration horizon, double q) {
        try {
            Forecast fc = f.forecast(model, obs.now(), horizon);
            double stepSeconds = fc.step().toNanos() / 1e9;
            double v = fc.maxOver(q, fc.steps());
            return Double.isFinite(v) ? Math.max(0, v) / stepSeconds : Double.NaN;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * How much demand grows over [now, now + horizon) by the forecast's shape: the largest median step over
     * the first one (at least 1). NaN when there is no usable forecast.
     */
    static double forecastGrowth(Forecaster f, String model, Observation obs, Duration horizon) {
        try {
            Forecast fc = f.forecast(model, obs.now(), horizon);
            double[] p50 = fc.quantile(0.5);
            if (p50.length == 0 || !(p50[0] > 0)) return Double.NaN;
            double g = 1;
            for (double v : p50) if (Double.isFinite(v)) g = Math.max(g, v / p50[0]);
            return g;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Rate observed over the last tick, requests per second. */
    static double observedRate(ModelObservation m, Observation obs) {
        double dt = obs.intervalSeconds();
        return dt > 0 ? m.arrivals() / dt : 0;
    }
}
