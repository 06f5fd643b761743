package io.prescale.forecasting.spark;

import io.prescale.forecasting.backtest.SeriesData;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a gbt artifact says it was trained up to: only data it saw, so simulate's look-ahead check refuses only real look-ahead. */
class GbtTrainedUntilTest {
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    static final Duration TEN = Duration.ofMinutes(10);

    @Test
    void aSeriesThatStartsAfterTheCutIsNotSaidToBeTrainedUpToItsStart() {
        // forecast train --to 3d: a from day 0 (432 intervals before the cut), b from day 4 (none). b's start, day 4, was
        // written as its trainedUntil, and simulate --from 3d refused the artifact: "trained on data up to 2024-01-05"
        SeriesData a = new SeriesData("a", T0, TEN, new double[6 * 144]);
        SeriesData b = new SeriesData("b", T0.plus(Duration.ofDays(4)), TEN, new double[2 * 144]);
        Map<String, Instant> until = GbtTrainer.trainedUntil(List.of(a, b), Map.of("a", 3 * 144, "b", 0));
        assertThat(until).containsOnlyKeys("a").containsEntry("a", Instant.parse("2024-01-04T00:00:00Z"));
        // without a cut every series is trained to its end
        assertThat(GbtTrainer.trainedUntil(List.of(a, b), Map.of()))
                .containsEntry("a", Instant.parse("2024-01-07T00:00:00Z")).containsEntry("b", Instant.parse("2024-01-07T00:00:00Z"));
    }
}
