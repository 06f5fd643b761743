package io.prescale.forecasting.spark.cli;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.forecasting.backtest.SeriesData;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Where {@code forecast train --to} cuts the series: training sees only the intervals that end by then. */
final class TrainingCut {
    private TrainingCut() {}

    /** An ISO time, or an offset from the earliest series start ({@code 7d}, {@code 36h}). */
    static Instant parse(String text, List<SeriesData> series, String field) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notIso) {
            Duration offset = Durations.parseOption(field, text);
            Instant first = series.stream().map(SeriesData::start).min(Instant::compareTo).orElseThrow();
            return first.plus(offset);
        }
    }

    /** How many of {@code s}'s intervals end at or before {@code cut} (all of them without one). */
    static int length(SeriesData s, Instant cut) {
        if (cut == null) return s.length();
        long whole = Duration.between(s.start(), cut).toNanos() / s.interval().toNanos();
        return (int) Math.max(0, Math.min(s.length(), whole));
    }
}
