package io.prescale.simulator.cli;

import io.prescale.core.config.Durations;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** {@code --from}/{@code --to} (and an experiment's {@code from}/{@code to}): an offset from the trace start ("36h", "2d", "7d12h", "90m") or an ISO timestamp. */
public final class TimeWindow {
    private TimeWindow() {}

    /** As {@link #parse}, for a command-line flag: a bare number is refused ("--from 2": 2 s, 2 h or 2 d?). */
    public static double parseFlag(String text, Instant origin, String flag) {
        Durations.requireUnit(flag, text);
        return parse(text, origin, flag);
    }

    /** Seconds since {@code origin}; errors name {@code flag}. A bare number is seconds (experiment files). */
    public static double parse(String text, Instant origin, String flag) {
        String s = text.trim();
        if (Durations.isUnitForm(s)) return Durations.parse(s).toNanos() / 1e9;
        try {
            Instant t = s.endsWith("Z") || s.matches(".*[+-][0-9]{2}:[0-9]{2}$")
                    ? OffsetDateTime.parse(s).toInstant()
                    : LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            return (t.toEpochMilli() - origin.toEpochMilli()) / 1000.0;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " '" + text + "': want an offset such as 36h, 2d or 7d12h, or an ISO timestamp such as 2024-11-20T00:00:00");
        }
    }
}
