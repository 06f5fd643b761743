package io.prescale.forecasting.backtest;

import java.time.Instant;

/** One scored forecast value: made at {@code origin} for the interval starting at {@code target}, {@code step} = 1 for the next interval. */
public record ForecastRow(String series, String forecaster, Instant origin, Instant target, int step,
                          double actual, double mean, double p50, double p90, double p95) {}
