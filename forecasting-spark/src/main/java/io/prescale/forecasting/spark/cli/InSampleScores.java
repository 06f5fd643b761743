package io.prescale.forecasting.spark.cli;

import io.prescale.forecasting.artifact.Artifacts;
import io.prescale.forecasting.backtest.SeriesData;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trained artifact given to {@code forecast backtest} or {@code show} may have been trained on the very data the
 * scoring window holds ({@code forecast train} uses the whole trace): its scores then read better than any forecast
 * of unseen demand (gbt's MASE on ServeGen m-large: 0.37 in-sample). Said once, before the scores, naming the series.
 */
final class InSampleScores {
    private InSampleScores() {}

    /** The warning, when the artifact saw data past the start of some series' scoring window (the last {@code window}). */
    static Optional<String> warning(Path artifact, List<SeriesData> series, Duration window) {
        Map<String, Instant> until = trainedUntil(artifact);
        // gbt is one model for every series: what it learned from any series' data forecasts each of them, so a series is
        // scored in-sample when the artifact saw any series past its window's start (as simulate refuses it by the latest
        // of them). Read per series, an artifact trained on servegen-clients to the end said nothing on servegen's m-large.
        Instant global = isGbt(artifact) ? until.values().stream().max(Instant::compareTo).orElse(null) : null;
        List<String> seen = new ArrayList<>();
        Instant latest = null, scoreStart = null;
        for (SeriesData s : series) {
            Instant trained = global != null ? global : until.get(s.name());
            Instant start = s.time(s.length()).minus(window);
            // a series shorter than the window is skipped by the backtest, not scored
            if (trained != null && trained.isAfter(start) && !start.isBefore(s.start())) {
                seen.add(s.name());
                latest = latest == null || trained.isAfter(latest) ? trained : latest;
                scoreStart = scoreStart == null || start.isBefore(scoreStart) ? start : scoreStart;
            }
        }
        if (seen.isEmpty()) return Optional.empty();
        return Optional.of("warning: " + artifact + " was trained on data up to " + latest + (global != null ? " (of any series: gbt is one model for all)" : "")
                + ", past the start of the scoring window (" + scoreStart + ") of " + String.join(", ", seen) + ": those scores are in-sample, better than on unseen demand"
                + " (forecast backtest without --gbt-artifact trains gbt on the data before the window)");
    }

    private static boolean isGbt(Path artifact) {
        try {
            return io.prescale.forecasting.artifact.GbtArtifact.SCHEMA.equals(
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(artifact.toFile()).path("schema").asText());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Per series, the end of the data the artifact was trained on; empty for a file that is not a known artifact. */
    static Map<String, Instant> trainedUntil(Path artifact) {
        return Artifacts.trainedUntil(artifact);
    }
}
