package io.prescale.simulator.metrics;

import org.HdrHistogram.Histogram;

/**
 * Counters and latency histograms of one model in one run. Latencies are recorded in microseconds:
 * for the whole run (2 significant digits), for the current report interval, and for the current
 * control tick (1 digit, only to show the policy a p99).
 */
public final class ModelMetrics {
    static final long MAX_MICROS = 10_000_000_000L; // 2.8 h: anything longer is clamped

    public final Histogram total = new Histogram(MAX_MICROS, 2);
    public final Histogram report = new Histogram(MAX_MICROS, 2);
    public final Histogram tick = new Histogram(MAX_MICROS, 1);

    // whole run
    public long arrived, served, dropped, timedOut, sloMet, coldStarts, batches;
    public double busySeconds;      // replica-seconds spent serving
    public double busyGpuSeconds;   // GPU-seconds spent serving (replica share x GPUs per node)
    public double gpuSeconds;       // GPU-seconds attributed to this model (share x time)
    public double costUsd;          // money attributed to this model
    // since the last control tick
    public long tickArrived, tickServed, tickDropped, tickTimedOut, tickSloMet;
    // since the last report row
    public long repArrived, repServed, repDropped, repTimedOut, repSloMet;
    public double repCostUsd, repGpuSeconds;

    public void recordLatency(double seconds) {
        long us = Math.min(MAX_MICROS, Math.max(1, (long) (seconds * 1e6)));
        total.recordValue(us);
        report.recordValue(us);
        tick.recordValue(us);
    }

    public void resetTick() {
        tickArrived = tickServed = tickDropped = tickTimedOut = tickSloMet = 0;
        if (tick.getTotalCount() > 0) tick.reset();
    }

    public void resetReport() {
        repArrived = repServed = repDropped = repTimedOut = repSloMet = 0;
        repCostUsd = repGpuSeconds = 0;
        if (report.getTotalCount() > 0) report.reset();
    }

    /** Latency quantile in seconds of a histogram, NaN when empty. */
    public static double quantileSeconds(Histogram h, double q) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(q * 100) / 1e6;
    }
}
