package io.prescale.forecasting.models;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * sin(k·φ), cos(k·φ) for k = 1..order at every phase φ = 2π·m / period of a cycle of {@code period}
 * intervals, computed once with the same expression {@link ProphetFeatures#fill} uses, so a lookup
 * returns exactly the values fill would compute. Tables are immutable and shared by every series
 * (one per period and order); {@link #of} declines cycles too long to tabulate (over 2^20 values).
 */
final class FourierTable {
    static final int MAX_VALUES = 1 << 20;
    private static final Map<Long, FourierTable> SHARED = new ConcurrentHashMap<>();

    private final int period;
    private final int order;
    private final double[] values;   // [m * 2 * order + 2 * (k - 1)] = sin, + 1 = cos

    private FourierTable(int period, int order) {
        this.period = period;
        this.order = order;
        values = new double[period * 2 * order];
        for (int m = 0; m < period; m++) write(m, period, order, values, m * 2 * order);
    }

    /** The shared table of a cycle, or null when order is 0 or the table would exceed {@link #MAX_VALUES}. */
    static FourierTable of(long period, int order) {
        if (order <= 0 || period * 2L * order > MAX_VALUES) return null;
        return SHARED.computeIfAbsent(period * 64 + order, k -> new FourierTable((int) period, order));
    }

    /** Copies the 2·order terms of phase {@code m} (0 <= m < period) into {@code x} at {@code at}. */
    void copy(int m, double[] x, int at) {
        System.arraycopy(values, m * 2 * order, x, at, 2 * order);
    }

    int period() {
        return period;
    }

    /** The direct computation (also the fallback for untabulated cycles): ProphetFeatures.fill's expression. */
    static void write(long m, long period, int order, double[] x, int at) {
        double phase = 2 * Math.PI * m / period;
        for (int k = 1; k <= order; k++) {
            x[at++] = Math.sin(k * phase);
            x[at++] = Math.cos(k * phase);
        }
    }
}
