package io.prescale.core.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Demand forecast of one series: counts per {@code step} for the steps starting at {@code origin},
 * as a mean and as quantiles. Provisioning reads a high quantile, not the mean.
 */
public record Forecast(String series, Instant origin, Duration step,
                       double[] mean, double[] p50, double[] p90, double[] p95) {

    public Forecast {
        int n = mean.length;
        if (p50.length != n || p90.length != n || p95.length != n)
            throw new IllegalArgumentException("forecast arrays differ in length");
        mean = mean.clone();
        p50 = p50.clone();
        p90 = p90.clone();
        p95 = p95.clone();
    }

    public int steps() {
        return mean.length;
    }

    /** Values at quantile {@code q}: 0.5, 0.9 or 0.95; "mean" for anything else below 0.5. */
    public double[] quantile(double q) {
        double[] v = q >= 0.95 ? p95 : q >= 0.9 ? p90 : q >= 0.5 ? p50 : mean;
        return v.clone();
    }

    /** Largest value at quantile {@code q} over the first {@code steps} steps. */
    public double maxOver(double q, int steps) {
        double[] v = q >= 0.95 ? p95 : q >= 0.9 ? p90 : q >= 0.5 ? p50 : mean;
        double m = 0;
        for (int i = 0; i < Math.min(steps, v.length); i++) m = Math.max(m, v[i]);
        return m;
    }

    @Override
    public String toString() {
        return "Forecast[" + series + " @" + origin + " step " + step + " mean " + Arrays.toString(mean) + "]";
    }
}
