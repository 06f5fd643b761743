package io.prescale.forecasting.backtest;

/**
 * Accuracy of one forecaster on one series over every (origin, lead) pair scored. MASE and both
 * pinball losses are divided by the in-sample mean absolute error of the 1-day seasonal naive
 * forecast (Hyndman & Koehler's scale), so they compare across series; WAPE = sum|error| / sum|actual|;
 * coverage90 = share of actuals at or below P90.
 */
public record Score(String forecaster, double mase, double wape, double pinball50, double pinball90, double coverage90, int points) {}
