package io.prescale.forecasting.backtest;

import java.util.List;

/** Scores of every forecaster on one series and the winner. */
public record SeriesResult(String series, int observations, String winner, List<Score> forecasters) {
    public Score score(String forecaster) {
        return forecasters.stream().filter(s -> s.forecaster().equals(forecaster)).findFirst().orElseThrow();
    }
}
