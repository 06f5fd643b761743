package io.prescale.forecasting;

import java.time.Duration;
import java.time.Instant;

/** Maps instants to interval numbers on a fixed grid aligned to the epoch, and back. */
public record TimeGrid(Duration interval) {

    public TimeGrid {
        if (interval == null || interval.isZero() || interval.isNegative())
            throw new IllegalArgumentException("forecasting interval must be > 0, got " + interval);
        if (Duration.ofDays(1).toNanos() % interval.toNanos() != 0)
            throw new IllegalArgumentException("forecasting interval must divide one day evenly, got " + interval);
    }

    public long nanos() {
        return interval.toNanos();
    }

    /** Number of the interval containing {@code t}. */
    public long index(Instant t) {
        return Math.floorDiv(t.getEpochSecond() * 1_000_000_000L + t.getNano(), nanos());
    }

    /** Start of interval {@code index}. */
    public Instant start(long index) {
        long n = index * nanos();
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    /** Intervals in {@code d}, rounded up, at least 1. */
    public int steps(Duration d) {
        long n = d.toNanos();
        return (int) Math.max(1, (n + nanos() - 1) / nanos());
    }

    /** Intervals per day. */
    public int perDay() {
        return (int) (Duration.ofDays(1).toNanos() / nanos());
    }

    /** Hour of day in [0, 24) of the start of interval {@code index} (UTC). */
    public double hourOfDay(long index) {
        return Math.floorMod(index, perDay()) * 24.0 / perDay();
    }

    /** Day of week 0..6 of interval {@code index} counted from the epoch day (1970-01-01 = 0, a Thursday). */
    public int dayOfWeekFromEpoch(long index) {
        return (int) Math.floorMod(Math.floorDiv(index, perDay()), 7L);
    }
}
