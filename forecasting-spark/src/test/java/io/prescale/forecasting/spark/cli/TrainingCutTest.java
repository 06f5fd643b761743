package io.prescale.forecasting.spark.cli;

import io.prescale.core.config.ConfigException;
import io.prescale.forecasting.backtest.SeriesData;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingCutTest {
    // two 10-minute series of 6 days, the second starting an hour later
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    static final SeriesData A = new SeriesData("a", T0, Duration.ofMinutes(10), new double[6 * 144]);
    static final SeriesData B = new SeriesData("b", T0.plusSeconds(3600), Duration.ofMinutes(10), new double[6 * 144]);

    @Test
    void anOffsetCountsFromTheEarliestSeriesAndKeepsTheIntervalsThatEndByTheCut() {
        Instant cut = TrainingCut.parse("2d", List.of(A, B), "--to");
        assertThat(cut).isEqualTo(T0.plus(Duration.ofDays(2)));
        assertThat(TrainingCut.length(A, cut)).isEqualTo(288);      // 2 days x 144
        assertThat(TrainingCut.length(B, cut)).isEqualTo(288 - 6);  // starts an hour (6 intervals) later
        // a cut inside an interval leaves that interval out: 2d 5m keeps the same 288 of a
        assertThat(TrainingCut.length(A, cut.plusSeconds(300))).isEqualTo(288);
        assertThat(TrainingCut.length(A, null)).isEqualTo(A.length());
        assertThat(TrainingCut.length(A, T0.minusSeconds(60))).isZero();
        assertThat(TrainingCut.length(A, T0.plus(Duration.ofDays(30)))).isEqualTo(A.length());
    }

    @Test
    void anIsoTimeIsTakenAsIsAndABareNumberIsRefused() {
        assertThat(TrainingCut.parse("2024-01-03T12:00:00Z", List.of(A), "--to")).isEqualTo(Instant.parse("2024-01-03T12:00:00Z"));
        assertThatThrownBy(() -> TrainingCut.parse("7", List.of(A), "--to")).isInstanceOf(ConfigException.class).hasMessageContaining("--to");
    }

    @Test
    void takesTheIsoFormsSimulateFromTakes() {
        // simulate --from 2024-01-03T12:00:00 (no zone: UTC) was refused here as "not a duration"
        Instant noon = Instant.parse("2024-01-03T12:00:00Z");
        assertThat(TrainingCut.parse("2024-01-03T12:00:00", List.of(A), "--to")).isEqualTo(noon);
        assertThat(TrainingCut.parse("2024-01-03T13:00:00+01:00", List.of(A), "--to")).isEqualTo(noon);
        // a typo says both forms, not only the duration examples
        assertThatThrownBy(() -> TrainingCut.parse("2x", List.of(A), "--to")).isInstanceOf(ConfigException.class)
                .hasMessage("--to: '2x': want an offset such as 7d or 36h, or an ISO time such as 2024-01-08T00:00:00Z");
    }
}
