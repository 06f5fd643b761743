package io.prescale.forecasting.artifact;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Coefficients of the Prophet-style regression per series, as trained by Spark (elastic-net linear
 * regression on {@code ProphetFeatures}); the runtime evaluates them without Spark.
 */
public record ProphetArtifact(String schema, String version, Instant createdAt, Duration interval,
                              Map<String, Series> series) {
    public static final String SCHEMA = "prescale.prophet/v1";

    /** One series: trend origin, changepoints (days since origin), Fourier orders, and coefficients in {@code features} order. */
    public record Series(Instant origin, double[] changepointDays, int dailyOrder, int weeklyOrder, List<String> features,
                         double[] coefficients, Instant trainedUntil) {}
}
