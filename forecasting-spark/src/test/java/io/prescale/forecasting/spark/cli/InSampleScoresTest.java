package io.prescale.forecasting.spark.cli;

import io.prescale.forecasting.artifact.Artifacts;
import io.prescale.forecasting.artifact.GbtArtifact;
import io.prescale.forecasting.artifact.ProphetArtifact;
import io.prescale.forecasting.backtest.SeriesData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An artifact trained on the scoring window is called out: its scores are in-sample. */
class InSampleScoresTest {
    static final Instant T0 = Instant.parse("1970-01-01T00:00:00Z");
    // 14 days of hourly counts: the series ends 1970-01-15, a 3-day scoring window starts 1970-01-12
    static final SeriesData A = new SeriesData("a", T0, Duration.ofHours(1), new double[14 * 24]);
    static final SeriesData B = new SeriesData("b", T0, Duration.ofHours(1), new double[14 * 24]);

    private static Path gbt(Path dir, Map<String, Instant> until) {
        Path f = dir.resolve("gbt.json");
        Artifacts.write(f, new GbtArtifact(GbtArtifact.SCHEMA, "v", T0, Duration.ofHours(1), 2, 2, List.of(), List.of(), until, Map.of()));
        return f;
    }

    @Test
    void aGbtTrainedOnAnySeriesPastAWindowsStartIsCalledOutForEverySeriesItForecasts(@TempDir Path dir) {
        // a: trained to the end (what forecast train does); b: to the window's start. gbt is one model for both, so b's
        // forecasts come from trees that learned a's days 12-15, b's own scoring window: in-sample too (read per series,
        // b was not named, and a gbt trained on another trace's series named none)
        Path f = gbt(dir, Map.of("a", Instant.parse("1970-01-15T00:00:00Z"), "b", Instant.parse("1970-01-12T00:00:00Z")));
        assertThat(InSampleScores.warning(f, List.of(A, B), Duration.ofDays(3))).hasValueSatisfying(w -> assertThat(w)
                .contains("trained on data up to 1970-01-15T00:00:00Z (of any series: gbt is one model for all), past the start of the scoring "
                        + "window (1970-01-12T00:00:00Z) of a, b:")
                .contains("in-sample"));
        assertThat(InSampleScores.warning(f, List.of(B), Duration.ofDays(3))).hasValueSatisfying(w -> assertThat(w).contains(" of b:"));
        SeriesData other = new SeriesData("m-large", T0, Duration.ofHours(1), new double[14 * 24]);
        assertThat(InSampleScores.warning(f, List.of(other), Duration.ofDays(3))).hasValueSatisfying(w -> assertThat(w).contains(" of m-large:"));
        // trained on every series up to the window's start (what backtest's own training does): nothing to say
        Path before = gbt(dir, Map.of("a", Instant.parse("1970-01-12T00:00:00Z"), "b", Instant.parse("1970-01-11T00:00:00Z")));
        assertThat(InSampleScores.warning(before, List.of(A, B, other), Duration.ofDays(3))).isEmpty();
        // one day of data is too short for a 3-day window: skipped by the backtest, so not named
        SeriesData shortOne = new SeriesData("a", T0, Duration.ofHours(1), new double[24]);
        assertThat(InSampleScores.warning(f, List.of(shortOne), Duration.ofDays(3))).isEmpty();
    }

    @Test
    void aProphetArtifactIsReadPerSeriesAndANonArtifactSaysNothing(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("prophet.json");
        Artifacts.write(f, new ProphetArtifact(ProphetArtifact.SCHEMA, "v", T0, Duration.ofHours(1), Map.of("a",
                new ProphetArtifact.Series(T0, new double[0], 1, 1, List.of(), new double[0], Instant.parse("1970-01-13T00:00:00Z")))));
        assertThat(InSampleScores.warning(f, List.of(A), Duration.ofDays(3))).isPresent();
        assertThat(InSampleScores.warning(f, List.of(A), Duration.ofDays(1))).isEmpty(); // window from 01-14
        assertThat(InSampleScores.warning(dir.resolve("missing.json"), List.of(A), Duration.ofDays(3))).isEmpty();
    }
}
