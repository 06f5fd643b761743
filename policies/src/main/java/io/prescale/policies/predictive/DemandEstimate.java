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
     * The forecast of {@code model} over [now, now + horizon), or null when it cannot forecast this series yet. For a
     * series it has never observed ({@link Forecaster#knows}) this is its cold-start guess: zero demand with a default band.
     */
    static Forecast forecast(Forecaster f, String model, Observation obs, Duration horizon) {
        try {
            return f.forecast(model, obs.now(), horizon);
        } catch (RuntimeException e) {
            return null; // unseen model, too little history
        }
    }

    /** Highest forecast rate at quantile {@code q} over [now, now + horizon), or NaN without a forecast. */
    static double forecastRate(Forecaster f, String model, Observation obs, Duration horizon, double q) {
        return rate(forecast(f, model, obs, horizon), q);
    }

    /** Highest rate at quantile {@code q} over the forecast's steps, requests per second; NaN without a forecast. */
    static double rate(Forecast fc, double q) {
        if (fc == null) return Double.NaN;
        double v = fc.maxOver(q, fc.steps());
        return Double.isFinite(v) ? Math.max(0, v) / (fc.step().toNanos() / 1e9) : Double.NaN;
    }

    /**
     * How much demand grows over the forecast's steps, by what the forecast is sure of: the largest lower band
     * of a later step (its p10, taken as 2 x p50 - p90, the bands lying symmetric about the median) over the
     * first step's median, at least 1. The medians alone lend growth to noise: floored at 1 and maximised over
     * the steps, every wobble of the forecast from one window to the next raised capacity (0.7 % more
     * GPU-hours on ServeGen at the same SLO; docs/results.md). NaN without a usable forecast.
     */
    static double growth(Forecast fc) {
        if (fc == null) return Double.NaN;
        double[] p50 = fc.quantile(0.5), p90 = fc.quantile(0.9);
        if (p50.length == 0 || !(p50[0] > 0)) return Double.NaN;
        double g = 1;
        for (int i = 1; i < p50.length; i++) {
            double low = 2 * p50[i] - p90[i];
            if (Double.isFinite(low)) g = Math.max(g, low / p50[0]);
        }
        return g;
    }

    /** Rate observed over the last tick, requests per second. */
    static double observedRate(ModelObservation m, Observation obs) {
        double dt = obs.intervalSeconds();
        return dt > 0 ? m.arrivals() / dt : 0;
    }
}
