package io.prescale.forecasting.backtest;

/** A series the backtest could not score, and why. */
public record SkippedSeries(String series, int observations, String reason) {}
