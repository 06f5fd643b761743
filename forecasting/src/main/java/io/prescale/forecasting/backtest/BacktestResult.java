package io.prescale.forecasting.backtest;

import java.time.Duration;
import java.util.List;

/** Everything a backtest measured. {@code rows} holds every scored forecast, in series, forecaster, origin order. */
public record BacktestResult(Duration interval, Duration horizon, Duration scoreWindow, List<SeriesResult> series,
                             List<SkippedSeries> skipped, List<ForecastRow> rows) {}
