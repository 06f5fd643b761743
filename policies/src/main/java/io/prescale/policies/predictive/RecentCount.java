package io.prescale.policies.predictive;

import java.time.Duration;
import java.util.ArrayDeque;

/** A count over a sliding window of ticks: what was added at ticks within {@code window} of the latest (the latest always). */
final class RecentCount {
    private final long windowNanos;
    private final ArrayDeque<long[]> ticks = new ArrayDeque<>(); // {tickNanos, count}
    private long sum;

    RecentCount(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** Adds {@code count} at {@code nowNanos} and returns the count over (now - window, now]. */
    long add(long nowNanos, long count) {
        ticks.addLast(new long[]{nowNanos, count});
        sum += count;
        while (ticks.size() > 1 && ticks.peekFirst()[0] <= nowNanos - windowNanos) sum -= ticks.removeFirst()[1];
        return sum;
    }

    /** The earliest tick still counted. */
    long oldestNanos() {
        return ticks.peekFirst()[0];
    }
}
