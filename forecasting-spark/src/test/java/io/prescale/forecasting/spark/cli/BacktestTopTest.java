package io.prescale.forecasting.spark.cli;

import io.prescale.forecasting.backtest.SeriesData;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** backtest --top chooses its series on the data before the scoring window, never on the span it scores. */
class BacktestTopTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void seriesAreRankedByTheirTrafficBeforeTheScoringWindow() {
        // 6 hourly intervals, the last 2 scored (--score-window 2h).
        // a: 1 + 1 + 1 + 1 = 4 before the window, 100 + 100 in it (total 204)
        // b: 10 + 10 + 10 + 10 = 40 before it, 0 in it (total 40)
        // c: NaN (masked) + 5 + 5 + 5 = 15 before it, 1000 in it (total 1015)
        // On the whole series (as before) top 2 was c, a: chosen by the very span they are scored on. Before it: b, c
        SeriesData a = new SeriesData("a", T0, HOUR, new double[] {1, 1, 1, 1, 100, 100});
        SeriesData b = new SeriesData("b", T0, HOUR, new double[] {10, 10, 10, 10, 0, 0});
        SeriesData c = new SeriesData("c", T0, HOUR, new double[] {Double.NaN, 5, 5, 5, 1000, 0});
        assertThat(BacktestCommand.top(List.of(a, b, c), 2, Duration.ofHours(2))).extracting(SeriesData::name).containsExactly("b", "c");
        assertThat(BacktestCommand.top(List.of(a, b, c), 1, Duration.ofHours(2))).extracting(SeriesData::name).containsExactly("b");
    }
}
