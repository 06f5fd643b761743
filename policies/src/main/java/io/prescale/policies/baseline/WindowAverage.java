package io.prescale.policies.baseline;

import java.util.ArrayDeque;

/** Time-weighted average of per-tick values over a trailing window (ticks older than the window fall out). */
final class WindowAverage {
    private final long windowNanos;
    private final ArrayDeque<double[]> samples = new ArrayDeque<>(); // {endNanos, value, weightNanos}
    private double sum;
    private double weight;

    WindowAverage(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    void add(long endNanos, double value, long weightNanos) {
        samples.addLast(new double[]{endNanos, value, weightNanos});
        sum += value * weightNanos;
        weight += weightNanos;
        while (!samples.isEmpty() && samples.peekFirst()[0] <= endNanos - windowNanos) {
            double[] old = samples.removeFirst();
            sum -= old[1] * old[2];
            weight -= old[2];
        }
    }

    double average() {
        return weight <= 0 ? 0 : Math.max(0, sum / weight);
    }
}
