package io.prescale.forecasting.backtest;

import io.prescale.forecasting.Synthetic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BacktestTest {

    @Test
    void metricsGolden() {
        Metrics m = new Metrics();
        // actual 10, point 8, p50 9, p90 12: |e| = 2, pinball50 = 0.5 * 1 = 0.5, pinball90 = 0.1 * 2 = 0.2, covered
        m.add(10, 8, 9, 12);
        // actual 20, point 20, p50 20, p90 15: |e| = 0, pinball50 = 0, pinball90 = 0.9 * 5 = 4.5, not covered
        m.add(20, 20, 20, 15);
        m.add(Double.NaN, 1, 1, 1);  // masked: ignored
        Score s = m.score("x", 2.0);
        assertThat(s.points()).isEqualTo(2);
        assertThat(s.mase()).isCloseTo((2 + 0) / 2.0 / 2.0, within(1e-12));      // 0.5
        assertThat(s.wape()).isCloseTo(2 / 30.0, within(1e-12));
        assertThat(s.pinball50()).isCloseTo(0.5 / 2 / 2.0, within(1e-12));      // 0.125
        assertThat(s.pinball90()).isCloseTo((0.2 + 4.5) / 2 / 2.0, within(1e-12)); // 1.175
        assertThat(s.coverage90()).isEqualTo(0.5);
    }

    @Test
    void seasonalNaiveScaleIsInSampleDailyError() {
        // values 0..9 with season 2: every |y_t - y_{t-2}| = 2 over t = 2..5 (end 6)
        double[] v = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThat(Metrics.seasonalNaiveScale(v, 6, 2)).isEqualTo(2.0);
    }

    @Test
    void rollingOriginScoresEveryForecasterAndSkipsShortSeries() {
        double[] trendy = Synthetic.noisySine(7, 0.05, 3);
        SeriesData longOne = new SeriesData("long", Instant.EPOCH, Synthetic.TEN_MIN, trendy);
        SeriesData oneDay = new SeriesData("short", Instant.EPOCH, Synthetic.TEN_MIN, Synthetic.dailySine(1));
        var cfg = new Backtest.Config(Duration.ofMinutes(30), Duration.ofDays(3), Duration.ofDays(1), 0.05, 2);
        BacktestResult r = Backtest.run(List.of(longOne, oneDay),
                List.of(ForecasterSpec.of("seasonal-naive"), ForecasterSpec.of("holt-winters")), cfg, Backtest.Progress.NONE);
        assertThat(r.skipped()).singleElement().satisfies(s -> {
            assertThat(s.series()).isEqualTo("short");
            assertThat(s.reason()).contains("only 1 day of data");
        });
        SeriesResult s = r.series().get(0);
        // origins: the last 3 days (432) minus the 2 whose 30-min horizon runs past the end, 3 leads each
        assertThat(s.score("seasonal-naive").points()).isEqualTo((432 - 2) * 3);
        assertThat(s.score("holt-winters").mase()).isLessThan(s.score("seasonal-naive").mase());
        assertThat(s.winner()).isEqualTo("holt-winters");
        assertThat(r.rows()).hasSize(2 * (432 - 2) * 3);
        assertThat(r.rows().get(0).origin()).isEqualTo(Synthetic.at(4 * 144));
    }

    @Test
    void winnerMustBeCalibratedWhenAnyoneIs() {
        List<Score> scores = List.of(new Score("sharp-but-overconfident", 0.3, 0, 0, 0, 0.6, 1),
                new Score("calibrated", 0.5, 0, 0, 0, 0.9, 1));
        assertThat(Backtest.winner(scores, 0.05)).isEqualTo("calibrated");
    }
}
