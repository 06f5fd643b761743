package io.prescale.simulator.cli;

import io.prescale.core.config.Durations;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleFunction;

/** {@code --from}/{@code --to} (and an experiment's {@code from}/{@code to}): an offset from the trace start ("36h", "2d", "7d12h", "90m") or an ISO timestamp. */
public final class TimeWindow {
    private TimeWindow() {}

    /**
     * The shortest window a run scores. A request trace ends at its last request, so one whose requests all share
     * an instant (a single request, a burst) has a window of no length: billed for nothing, its requests served
     * after it ended, its utilisation a busy time over no GPU time.
     */
    public static final double MIN_SECONDS = 1;

    /**
     * Why [from, to) cannot be scored, or null when it can. {@code at} prints a time; {@code fromLabel} and
     * {@code toLabel} prefix the two ends ("--from ", or "" where the caller names the field itself).
     */
    public static String problem(double from, double to, String fromLabel, String toLabel, DoubleFunction<Instant> at, double traceEnd) {
        String ends = fromLabel + at.apply(from) + (to > from ? " to " : " is not before ") + toLabel + at.apply(to) + " (trace ends " + at.apply(traceEnd) + ")";
        // "--from 20d" on a 14-day trace, with no --to: "--from X is not before --to Y" named a --to the user never gave
        if (from >= traceEnd) return "empty window: " + fromLabel + at.apply(from) + " is at or past the end of the trace, " + at.apply(traceEnd);
        if (!(to > from)) return "empty window: " + ends;
        if (to - from < MIN_SECONDS)
            return "window under 1s: " + ends + (traceEnd < MIN_SECONDS
                    ? "; the trace's requests all arrive within a second: there is nothing to scale over" : "; a run scores at least 1s");
        return null;
    }

    /** As {@link #parse}, for a command-line flag: a bare number is refused ("--from 2": 2 s, 2 h or 2 d?). */
    public static double parseFlag(String text, Instant origin, String flag) {
        Durations.requireUnit(flag, text);
        return parse(text, origin, flag);
    }

    /** Seconds since {@code origin}; errors name {@code flag}. A bare number is seconds: callers refuse it first ({@link #parseFlag}, the experiment reader). */
    public static double parse(String text, Instant origin, String flag) {
        String s = text.trim();
        if (Durations.isUnitForm(s)) return Durations.parse(s).toNanos() / 1e9;
        try {
            Instant t = s.endsWith("Z") || s.matches(".*[+-][0-9]{2}:[0-9]{2}$")
                    ? OffsetDateTime.parse(s).toInstant()
                    : s.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}") // a day alone ("--from 2024-11-20") is its midnight, UTC
                    ? java.time.LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            return (t.toEpochMilli() - origin.toEpochMilli()) / 1000.0;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " '" + text + "': want an offset such as 36h, 2d or 7d12h, or an ISO time such as 2024-11-20T06:00:00 or 2024-11-20");
        }
    }
}
