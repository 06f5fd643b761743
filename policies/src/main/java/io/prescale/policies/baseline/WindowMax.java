package io.prescale.policies.baseline;

import java.util.ArrayDeque;

/** Maximum of per-tick values over a trailing time window (monotone deque: O(1) amortised). */
final class WindowMax {
    private final long windowNanos;
    private final ArrayDeque<long[]> q = new ArrayDeque<>(); // {timeNanos, value}, values decreasing

    WindowMax(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    long add(long nowNanos, long value) {
        while (!q.isEmpty() && q.peekLast()[1] <= value) q.removeLast();
        q.addLast(new long[]{nowNanos, value});
        while (q.peekFirst()[0] <= nowNanos - windowNanos && q.size() > 1) q.removeFirst();
        if (q.peekFirst()[0] <= nowNanos - windowNanos) return 0;
        return q.peekFirst()[1];
    }

    /** The maximum over the values added in (now - {@code shorterNanos}, now], for a window no longer than this one's. */
    long maxOver(long nowNanos, long shorterNanos) {
        for (long[] e : q) if (e[0] > nowNanos - shorterNanos) return e[1]; // values decrease front to back
        return 0;
    }
}
