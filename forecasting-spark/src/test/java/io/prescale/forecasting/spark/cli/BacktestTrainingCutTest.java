package io.prescale.forecasting.spark.cli;

import io.prescale.forecasting.backtest.SeriesData;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The backtest's one gbt model learns only from data before the earliest scoring window of any series it forecasts. */
class BacktestTrainingCutTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    private static SeriesData series(String name, long startHour, int hours) {
        return new SeriesData(name, T0.plus(HOUR.multipliedBy(startHour)), HOUR, new double[hours]);
    }

    @Test
    void everySeriesIsCutAtTheEarliestScoringWindowInTime() {
        int score = 72; // 3 days of hourly intervals
        var until = BacktestCommand.trainingCut(List.of(
                series("a", 0, 240),     // hours 0-239: scored from hour 168, the earliest window
                series("b", 0, 336),     // hours 0-335: scored from 264, but trains only up to 168 (a's window starts there)
                series("c", 24, 312),    // hours 24-335: 168 - 24 = 144 intervals before the cut
                series("d", 200, 100)),  // starts after the cut: nothing to train on
                score, 48);
        assertThat(until).containsEntry("a", 168).containsEntry("b", 168).containsEntry("c", 144).doesNotContainKey("d");
    }

    @Test
    void seriesOnOneSpanKeepTheirOwnCut() {
        // the shipped traces' series share the trace's span: each is cut at its own window, as before
        var until = BacktestCommand.trainingCut(List.of(series("a", 0, 336), series("b", 0, 336)), 72, 48);
        assertThat(until).containsEntry("a", 264).containsEntry("b", 264);
    }

    @Test
    void aSeriesTooShortToScoreSetsNoCut() {
        // ServeGen's deepseek-r1 and mm-image have one day of data; the backtest skips them. Taken into the cut, the
        // window of the 24-hour series (from hour 0) left every other series nothing to train on
        var until = BacktestCommand.trainingCut(List.of(series("a", 0, 336), series("short", 0, 24)), 72, 48);
        assertThat(until).containsOnlyKeys("a").containsEntry("a", 264);
    }
}
