package io.prescale.forecasting.models;

import io.prescale.forecasting.TimeGrid;

/**
 * Input encoding of the lstm forecaster, one vector per interval: the normalised log1p count (0 where
 * masked), a masked flag, and time of day and day of week as sin/cos pairs (calendar effects the net
 * cannot see from a short window). Normalisation is the fit window's mean and standard deviation of
 * log1p counts, so one architecture serves series of any volume.
 */
final class LstmFeatures {
    static final int SIZE = 6;
    private final TimeGrid grid;
    final double mean, scale;

    LstmFeatures(TimeGrid grid, double mean, double scale) {
        this.grid = grid;
        this.mean = mean;
        this.scale = scale;
    }

    /** Mean and scale (standard deviation, at least 0.05) of the non-masked values of {@code z}. */
    static LstmFeatures fit(TimeGrid grid, double[] z) {
        double s = 0, ss = 0;
        int n = 0;
        for (double v : z) if (!Double.isNaN(v)) { s += v; ss += v * v; n++; }
        double m = n == 0 ? 0 : s / n;
        double sd = n == 0 ? 1 : Math.sqrt(Math.max(0, ss / n - m * m));
        return new LstmFeatures(grid, m, Math.max(sd, 0.05));
    }

    double normalise(double z) {
        return (z - mean) / scale;
    }

    double denormalise(double y) {
        return mean + y * scale;
    }

    /** Writes the inputs of interval {@code index} with log1p value {@code z} (NaN = masked) into {@code out}. */
    void encode(long index, double z, float[] out) {
        boolean masked = Double.isNaN(z);
        out[0] = masked ? 0f : (float) normalise(z);
        out[1] = masked ? 1f : 0f;
        double day = Math.floorMod(index, (long) grid.perDay()) / (double) grid.perDay();
        double week = (grid.dayOfWeekFromEpoch(index) + day) / 7.0;
        out[2] = (float) Math.sin(2 * Math.PI * day);
        out[3] = (float) Math.cos(2 * Math.PI * day);
        out[4] = (float) Math.sin(2 * Math.PI * week);
        out[5] = (float) Math.cos(2 * Math.PI * week);
    }
}
