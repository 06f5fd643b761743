package io.prescale.forecasting;

import java.util.Arrays;

/**
 * The last {@code capacity} values of one series by interval number; NaN where masked or never seen.
 * Writes must come in increasing index order (skipped indices read as NaN).
 */
public final class History {
    private final double[] ring;
    private long last = Long.MIN_VALUE;   // highest index written
    private int lastSlot;                 // its slot: reads count back from it instead of dividing
    private long first = Long.MIN_VALUE;  // first index ever written

    public History(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("history capacity must be >= 1");
        ring = new double[capacity];
        Arrays.fill(ring, Double.NaN);
    }

    public int capacity() {
        return ring.length;
    }

    public boolean isEmpty() {
        return last == Long.MIN_VALUE;
    }

    public long lastIndex() {
        return last;
    }

    public long firstIndex() {
        return first;
    }

    /** Intervals covered since the first write (including NaN ones), capped at capacity. */
    public int length() {
        return isEmpty() ? 0 : (int) Math.min(ring.length, last - first + 1);
    }

    public void put(long index, double value) {
        if (isEmpty()) {
            first = index;
        } else if (index <= last) {
            throw new IllegalArgumentException("interval " + index + " already observed (last " + last + ")");
        } else {
            // clear the skipped slots: they were never observed
            for (long k = last + 1; k < index && k <= last + ring.length; k++) ring[slot(k)] = Double.NaN;
        }
        lastSlot = slot(index);
        ring[lastSlot] = value;
        last = index;
    }

    /** Value at {@code index}; NaN if masked, not yet seen, or fallen out of the window. */
    public double get(long index) {
        if (isEmpty() || index > last || index <= last - ring.length || index < first) return Double.NaN;
        int s = lastSlot - (int) (last - index);   // last - index < capacity here
        return ring[s < 0 ? s + ring.length : s];
    }

    /**
     * Copies values for indices [from, from + out.length) into {@code out}: exactly {@link #get} of each
     * index, but with one modulo for the whole stretch instead of one per value (refits copy whole windows).
     */
    public void copy(long from, double[] out) {
        Arrays.fill(out, Double.NaN);
        if (isEmpty() || out.length == 0) return;
        long lo = Math.max(from, Math.max(first, last - ring.length + 1));
        long hi = Math.min(from + out.length - 1, last);
        if (lo > hi) return;
        int slot = slot(lo);
        for (int i = (int) (lo - from), end = (int) (hi - from); i <= end; i++) {
            out[i] = ring[slot];
            if (++slot == ring.length) slot = 0;
        }
    }

    private int slot(long index) {
        return (int) Math.floorMod(index, (long) ring.length);
    }
}
