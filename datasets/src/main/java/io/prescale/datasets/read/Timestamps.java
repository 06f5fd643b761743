package io.prescale.datasets.read;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.regex.Pattern;

/** The timestamp spellings the traces use. All throw {@link BadRowException} naming the bad text. */
public final class Timestamps {
    private static final Pattern EPOCH_SECONDS = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private Timestamps() {}

    /**
     * {@code yyyy-MM-dd HH:mm:ss[.fffffffff]} (a 'T' instead of the space is accepted) without a zone,
     * read as UTC. Up to 9 fractional digits, so Azure's 7-digit 100 ns ticks are exact.
     */
    public static Instant naiveUtc(String text, String field) throws BadRowException {
        Instant t;
        try {
            t = LocalDateTime.parse(isoSeparator(text.trim())).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new BadRowException("bad timestamp in '" + field + "': '" + Fields.shown(text) + "' (want yyyy-MM-dd HH:mm:ss[.fraction])");
        }
        return inRange(t, text, field);
    }

    /**
     * The generic formats' timestamp: epoch seconds with an optional fraction ({@code 1700000000.25}), or
     * ISO-8601 with an offset or zone ({@code 2024-01-01T00:00:00Z}, {@code ...+02:00}) or without one
     * ({@code 2024-01-01T00:00:00}, read as UTC; a space may replace the 'T').
     */
    public static Instant flexible(String text, String field) throws BadRowException {
        String s = text.trim();
        if (EPOCH_SECONDS.matcher(s).matches()) return plausibleEpochSeconds(s, field);
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(isoSeparator(s),
                    ZonedDateTime::from, OffsetDateTime::from, LocalDateTime::from);
            if (t instanceof ZonedDateTime z) return inRange(z.toInstant(), text, field);
            if (t instanceof OffsetDateTime o) return inRange(o.toInstant(), text, field);
            return inRange(((LocalDateTime) t).toInstant(ZoneOffset.UTC), text, field);
        } catch (DateTimeParseException e) {
            throw new BadRowException("bad timestamp in '" + field + "': '" + Fields.shown(text)
                    + "' (want ISO-8601 such as 2024-01-01T00:00:00Z, or epoch seconds such as 1704067200.5)");
        }
    }

    /** Epoch seconds past this are no trace's time (the year 5138): a count in a finer unit. */
    static final BigDecimal MAX_EPOCH_SECONDS = BigDecimal.valueOf(100_000_000_000L);

    /**
     * Epoch milliseconds (1704067200000) read as seconds put a trace in the year 55969 without a word, and every
     * window a user gave (an ISO time in 2024) fell before it.
     * Refused, with the unit the number looks like.
     */
    private static Instant plausibleEpochSeconds(String text, String field) throws BadRowException {
        BigDecimal v = new BigDecimal(text).abs();
        if (v.compareTo(MAX_EPOCH_SECONDS) <= 0) return epochSeconds(text, field);
        String unit = v.compareTo(MAX_EPOCH_SECONDS.movePointRight(3)) <= 0 ? "milliseconds"
                : v.compareTo(MAX_EPOCH_SECONDS.movePointRight(6)) <= 0 ? "microseconds" : "nanoseconds";
        throw new BadRowException("timestamp in '" + field + "': '" + Fields.shown(text) + "' is too large for epoch seconds (past the year 5000): "
                + "epoch " + unit + "? Write epoch seconds (a fraction is fine: 1704067200.5) or ISO-8601");
    }

    /** Exact decimal epoch seconds, rounded to the nanosecond. */
    public static Instant epochSeconds(String text, String field) throws BadRowException {
        Instant t;
        try {
            BigDecimal seconds = new BigDecimal(text.trim());
            BigDecimal whole = new BigDecimal(seconds.toBigInteger());
            long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
            t = Instant.ofEpochSecond(whole.longValueExact(), nanos);
        } catch (ArithmeticException | NumberFormatException | java.time.DateTimeException e) {
            throw new BadRowException("bad epoch seconds in '" + field + "': '" + Fields.shown(text) + "'");
        }
        return inRange(t, text, field);
    }

    /** Whole epoch seconds ({@code unix_s}), in {@link #EARLIEST} .. {@link #LATEST}. */
    public static Instant epochSecondsLong(String text, String field) throws BadRowException {
        long s = Fields.nonNegativeLong(text, field);
        if (s > LATEST.getEpochSecond()) throw new BadRowException(outOfRange(field, text, "after", LATEST));
        return Instant.ofEpochSecond(s);
    }

    /**
     * The times a trace may hold: the simulator's clocks and the forecasting grid count nanoseconds from 1970 in a long,
     * which ends on 2262-04-11 (and begins on 1677-09-21); these bounds keep a margin for a run's windows and horizons.
     * A time past them (2300-01-01 in a requests-csv) was read, and the simulator stopped mid-run on "long overflow"
     * without the file or line; a NASA unix_s of 3e16 stopped the read on "Instant exceeds minimum or maximum instant".
     */
    public static final Instant EARLIEST = Instant.parse("1678-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("2262-01-01T00:00:00Z");

    /** {@code t} when it lies in {@link #EARLIEST} .. {@link #LATEST}; else a bad row naming the field and text. */
    public static Instant inRange(Instant t, String text, String field) throws BadRowException {
        if (t.isAfter(LATEST)) throw new BadRowException(outOfRange(field, text, "after", LATEST));
        if (t.isBefore(EARLIEST)) throw new BadRowException(outOfRange(field, text, "before", EARLIEST));
        return t;
    }

    /** An interval's end, {@code start + length}, when it lies by {@link #LATEST}; else a bad row naming the field. */
    public static Instant endInRange(Instant start, java.time.Duration length, String field) throws BadRowException {
        if (java.time.Duration.between(start, LATEST).compareTo(length) < 0)
            throw new BadRowException("interval from " + start + " (" + field + ") ends after " + LATEST + ", the latest time a trace may hold");
        return start.plus(length);
    }

    private static String outOfRange(String field, String text, String side, Instant bound) {
        return "timestamp in '" + field + "': '" + Fields.shown(text.trim()) + "' is " + side + " " + bound
                + " (times must lie between " + EARLIEST + " and " + LATEST + ": nanoseconds from 1970 in 64 bits)";
    }

    private static String isoSeparator(String s) {
        return s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
    }
}
