package io.prescale.live.serve;

import io.prescale.core.model.LatencyProfile;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Measured service time per batch size, and its least-squares line {@code base + perItem * batch}:
 * the form the simulator's {@link LatencyProfile} takes. Sizes up to {@value #EXACT_UP_TO} rows are measured apart;
 * larger ones (a request's own rows, which its client chooses) share one bucket per sixteenth of an octave, keyed by
 * the mean rows measured in it, so a client that sends every row count from 1 to a million adds at most
 * {@value #MAX_BUCKETS} sizes, not a million (each was an entry kept for good, listed by GET /models/{name} and walked
 * by every request's admission estimate).
 */
public final class LatencyFit {
    /** Row counts measured apart, each its own size. */
    public static final int EXACT_UP_TO = 128;
    /** Sizes at most: {@link #EXACT_UP_TO}, then 16 buckets for each octave from 128 to 2^31. */
    public static final int MAX_BUCKETS = EXACT_UP_TO + 24 * 16;

    private final TreeMap<Integer, double[]> byBatch = new TreeMap<>(); // bucket -> {count, sum seconds, sum of squares, sum of rows}

    /**
     * The bucket of a batch of {@code rows}: the rows themselves up to {@link #EXACT_UP_TO}; above, its octave (2^k to
     * 2^(k+1) - 1 rows) and the next four bits of the count, a sixteenth of the octave (129-135 rows share one, 136-143
     * the next, ..., 256-271 the first of the next octave).
     */
    static int bucket(int rows) {
        if (rows <= EXACT_UP_TO) return rows;
        int octave = 31 - Integer.numberOfLeadingZeros(rows); // 7 for 128-255
        int sixteenth = (rows >>> (octave - 4)) & 15;
        return EXACT_UP_TO + 1 + (octave - 7) * 16 + sixteenth;
    }

    public synchronized void record(int batch, double seconds) {
        double[] s = byBatch.computeIfAbsent(bucket(batch), b -> new double[4]);
        s[0]++;
        s[1] += seconds;
        s[2] += seconds * seconds;
        s[3] += batch;
    }

    /**
     * {count, total seconds, total squared seconds} of the batches of {@code batch} rows measured so far (of its bucket,
     * above {@link #EXACT_UP_TO} rows): two readings give the mean and the spread of the run times between them.
     */
    public synchronized double[] totals(int batch) {
        double[] s = byBatch.get(bucket(batch));
        return s == null ? new double[3] : java.util.Arrays.copyOf(s, 3);
    }

    /** Mean seconds per batch size measured so far (above {@link #EXACT_UP_TO} rows: per bucket, at its mean rows). */
    public synchronized Map<Integer, Double> means() {
        TreeMap<Integer, Double> m = new TreeMap<>();
        byBatch.forEach((b, s) -> m.put((int) Math.round(s[3] / s[0]), s[1] / s[0]));
        return m;
    }

    /**
     * Fits the line over batch-size means (each size weighs the same, so a flood of single requests does not
     * drown the slope). One size only: all of it is base time. Negative terms are clipped to zero.
     */
    public synchronized Optional<LatencyProfile> profile() {
        if (byBatch.isEmpty()) return Optional.empty();
        Map<Integer, Double> m = means();
        if (m.size() == 1) {
            double t = m.values().iterator().next();
            return t > 0 ? Optional.of(LatencyProfile.linear(t, 0)) : Optional.empty();
        }
        double n = m.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var e : m.entrySet()) {
            double x = e.getKey(), y = e.getValue();
            sx += x; sy += y; sxx += x * x; sxy += x * y;
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double base = (sy - slope * sx) / n;
        if (slope < 0) { slope = 0; base = sy / n; }
        if (base < 0) { base = 0; slope = sxy / sxx; }
        if (base + slope <= 0) return Optional.empty();
        return Optional.of(LatencyProfile.linear(base, slope));
    }
}
