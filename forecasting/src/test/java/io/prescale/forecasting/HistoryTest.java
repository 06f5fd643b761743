package io.prescale.forecasting;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryTest {
    @Test
    void copyIsGetOfEveryIndexAcrossWrapsGapsAndEdges() {
        Random r = new Random(6);
        for (int capacity : new int[]{1, 7, 50}) {
            History h = new History(capacity);
            double[] empty = new double[5];
            h.copy(0, empty);
            assertThat(empty).containsOnly(Double.NaN);
            long t = 1000, first = 1001;
            java.util.Map<Long, Double> written = new java.util.HashMap<>();
            for (int step = 0; step < 300; step++) {
                t += 1 + (r.nextInt(10) == 0 ? r.nextInt(2 * capacity + 2) : 0);   // sometimes skip a stretch (gap)
                double value = r.nextInt(8) == 0 ? Double.NaN : r.nextGaussian();
                h.put(t, value);
                written.put(t, value);
                for (long i = t - 2L * capacity - 2; i <= t + 1; i++) {   // get against a plain map of what was written
                    double want = i <= t && i > t - capacity && i >= first ? written.getOrDefault(i, Double.NaN) : Double.NaN;
                    assertThat(Double.valueOf(h.get(i))).as("get(%d), cap %d", i, capacity).isEqualTo(Double.valueOf(want));
                }
                for (int probe = 0; probe < 5; probe++) {
                    long from = t - r.nextInt(3 * capacity + 3) + r.nextInt(3);
                    double[] out = new double[r.nextInt(3 * capacity + 2)];
                    h.copy(from, out);
                    for (int i = 0; i < out.length; i++) assertThat(Double.valueOf(out[i])).as("index %d, cap %d", from + i, capacity).isEqualTo(Double.valueOf(h.get(from + i)));  // NaN equals NaN here
                }
            }
        }
    }
}
