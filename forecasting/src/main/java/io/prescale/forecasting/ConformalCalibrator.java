package io.prescale.forecasting;

import java.util.Arrays;

/**
 * Split-conformal quantiles from the forecaster's own past errors: for each lead step it keeps the
 * last {@code window} residuals of forecasts issued before the actual was seen, in log1p space
 * (demand errors scale with the level), and turns a point forecast into P50/P90/P95 by adding the
 * empirical residual quantiles. The P90/P95 levels adapt online (adaptive conformal inference) so
 * coverage holds when errors drift. Only residuals of forecasts made before each origin exist here, so
 * the calibration never sees the future.
 */
public final class ConformalCalibrator {
    private final int window;
    private final int minResiduals;
    private final double[][] ring;    // per step: residuals in arrival order
    private final double[][] sorted;  // per step: the same residuals, sorted
    private final int[] count;
    private final int[] next;
    private final double[] level90;  // adaptive quantile levels (ACI) per step
    private final double[] level95;
    /** Step size of adaptive conformal inference: how fast the quantile level reacts to misses. */
    private static final double GAMMA = 0.005;

    public ConformalCalibrator(int steps, int window, int minResiduals) {
        if (steps < 1 || window < 2) throw new IllegalArgumentException("calibration needs steps >= 1 and window >= 2");
        this.window = window;
        this.minResiduals = Math.max(2, Math.min(minResiduals, window));
        ring = new double[steps][window];
        sorted = new double[steps][window];
        count = new int[steps];
        next = new int[steps];
        level90 = new double[steps];
        level95 = new double[steps];
        Arrays.fill(level90, 0.9);
        Arrays.fill(level95, 0.95);
    }

    public int steps() {
        return ring.length;
    }

    /** Residuals held for lead step {@code step} (0 = the next interval). */
    public int residuals(int step) {
        return count[Math.min(step, ring.length - 1)];
    }

    /** Records the error of a forecast {@code predicted} made {@code step} intervals ahead of {@code actual}. */
    public void record(int step, double predicted, double actual) {
        if (Double.isNaN(actual)) return;
        recordLog(step, predicted, Math.log1p(Math.max(actual, 0)));
    }

    /** {@link #record} with the actual already as log1p(max(actual, 0)): one actual scores every lead's forecast. */
    public void recordLog(int step, double predicted, double logActual) {
        if (step >= ring.length || Double.isNaN(logActual) || Double.isNaN(predicted)) return;
        double r = logActual - Math.log1p(Math.max(predicted, 0));
        double[] s = sorted[step];
        int n = count[step];
        if (n >= minResiduals) {
            // adaptive conformal inference (Gibbs & Candes 2021): nudge the level after each hit or miss so
            // long-run coverage holds even when the error distribution drifts
            level90[step] = clamp(level90[step] + GAMMA * ((r > at(step, n, level90[step]) ? 1 : 0) - 0.1));
            level95[step] = clamp(level95[step] + GAMMA * ((r > at(step, n, level95[step]) ? 1 : 0) - 0.05));
        }
        if (n == window) {
            double old = ring[step][next[step]];
            int at = Arrays.binarySearch(s, 0, n, old);
            System.arraycopy(s, at + 1, s, at, n - at - 1);
            n--;
        }
        int pos = Arrays.binarySearch(s, 0, n, r);
        if (pos < 0) pos = -pos - 1;
        System.arraycopy(s, pos, s, pos + 1, n - pos);
        s[pos] = r;
        count[step] = n + 1;
        ring[step][next[step]] = r;
        next[step] = (next[step] + 1) % window;
    }

    /**
     * Writes P50, P90, P95 for a point forecast {@code point} at lead {@code step} into {@code q[0..2]}.
     * Steps beyond the calibrated range use the last calibrated step. With too few residuals yet, a
     * Poisson-like band (sqrt of the level) stands in: wide enough not to under-provision a cold start.
     */
    public void quantiles(int step, double point, double[] q) {
        int k = Math.min(step, ring.length - 1);
        while (k > 0 && count[k] < minResiduals) k--;  // a shorter lead's errors beat no errors
        double p = Math.max(point, 0);
        int n = count[k];
        if (n < minResiduals) {
            double sd = Math.sqrt(Math.max(p, 1));
            q[0] = p;
            q[1] = p + 1.2816 * sd;
            q[2] = p + 1.6449 * sd;
            return;
        }
        double base = Math.log1p(p);
        q[0] = Math.max(0, Math.expm1(base + at(k, n, 0.5)));
        q[1] = Math.max(q[0], Math.expm1(base + at(k, n, level90[k])));
        q[2] = Math.max(q[1], Math.expm1(base + at(k, n, Math.max(level95[k], level90[k]))));
    }

    private static double clamp(double level) {
        return Math.max(0.5, Math.min(0.999, level));
    }

    /** Finite-sample conformal quantile: the ceil((n + 1) q)-th smallest residual. */
    private double at(int k, int n, double q) {
        int rank = (int) Math.ceil((n + 1) * q) - 1;
        return sorted[k][Math.max(0, Math.min(n - 1, rank))];
    }
}
