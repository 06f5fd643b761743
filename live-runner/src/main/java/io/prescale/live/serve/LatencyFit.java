package io.prescale.live.serve;

import io.prescale.core.model.LatencyProfile;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Measured service time per batch size, and its least-squares line {@code base + perItem * batch}:
 * the form the simulator's {@link LatencyProfile} takes.
 */
public final class LatencyFit {
    private final TreeMap<Integer, double[]> byBatch = new TreeMap<>(); // batch -> {count, sum seconds, sum of squares}

    public synchronized void record(int batch, double seconds) {
        double[] s = byBatch.computeIfAbsent(batch, b -> new double[3]);
        s[0]++;
        s[1] += seconds;
        s[2] += seconds * seconds;
    }

    /**
     * {count, total seconds, total squared seconds} of the batches of {@code batch} rows measured so far: two
     * readings give the mean and the spread of the run times between them.
     */
    public synchronized double[] totals(int batch) {
        double[] s = byBatch.get(batch);
        return s == null ? new double[3] : s.clone();
    }

    /** Mean seconds per batch size measured so far. */
    public synchronized Map<Integer, Double> means() {
        TreeMap<Integer, Double> m = new TreeMap<>();
        byBatch.forEach((b, s) -> m.put(b, s[1] / s[0]));
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
