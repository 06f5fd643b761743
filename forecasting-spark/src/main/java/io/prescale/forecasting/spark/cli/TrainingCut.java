package io.prescale.forecasting.spark.cli;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.forecasting.backtest.SeriesData;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Where {@code forecast train --to} cuts the series: training sees only the intervals that end by then. */
final class TrainingCut {
    private TrainingCut() {}

    /** As {@link #parse(String, Instant, String)}, offsets counted from the earliest series start. */
    static Instant parse(String text, List<SeriesData> series, String field) {
        return parse(text, origin(series, false), field);
    }

    /**
     * Where an offset counts from, as {@code simulate --from} counts it: the earliest series start; for an interval
     * trace, the midnight (UTC) before it. A trace of counts from 04:00 read {@code --to 14d} as 14 days after 04:00,
     * and {@code simulate --from 14d} as 14 days after midnight, so the artifact saw the window's first four hours and
     * simulate refused it.
     */
    static Instant origin(List<SeriesData> series, boolean intervalTrace) {
        Instant first = series.stream().map(SeriesData::start).min(Instant::compareTo).orElseThrow();
        return intervalTrace ? Instant.ofEpochSecond(Math.floorDiv(first.getEpochSecond(), 86400) * 86400) : first;
    }

    /**
     * An offset from {@code origin} ({@code 7d}, {@code 36h}) or an ISO time, with an offset or
     * without one (read as UTC): the forms {@code simulate --from} takes, so one time works for both.
     */
    static Instant parse(String text, Instant origin, String field) {
        String s = text.trim();
        if (Durations.isUnitForm(s) || s.matches("-?[0-9.]+|-?P.*")) { // a bare number too, to be refused for its missing unit
            Duration offset = Durations.parseOption(field, s);
            return origin.plus(offset);
        }
        try {
            return s.endsWith("Z") || s.matches(".*[+-][0-9]{2}:[0-9]{2}$")
                    ? OffsetDateTime.parse(s).toInstant()
                    : LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ConfigException(field, "'" + text + "': want an offset such as 7d or 36h, or an ISO time such as 2024-01-08T00:00:00Z");
        }
    }

    /** How many of {@code s}'s intervals end at or before {@code cut} (all of them without one). */
    static int length(SeriesData s, Instant cut) {
        if (cut == null) return s.length();
        long whole = Duration.between(s.start(), cut).toNanos() / s.interval().toNanos();
        return (int) Math.max(0, Math.min(s.length(), whole));
    }
}
