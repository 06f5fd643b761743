package io.prescale.live.serve;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters one model accumulates between two control ticks ({@link #snapshot} starts a new interval), plus
 * running totals that never reset (for the per-minute demand history and for metrics).
 */
public final class IntervalStats {
    private final LongAdder arrivals = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    // completed << 32 | met the SLO, added in one step: each completion falls wholly in one interval (two adders
    // let a snapshot between the two adds count one without the other, and report attainment above 1)
    private final LongAdder completions = new LongAdder();
    private final LongAdder busyNanos = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();
    private final Recorder latencies = new Recorder(3);
    private Histogram recycled;

    final AtomicLong totalArrivals = new AtomicLong();
    final AtomicLong totalCompleted = new AtomicLong();
    final AtomicLong totalDropped = new AtomicLong();
    final AtomicLong totalTimedOut = new AtomicLong();
    final AtomicLong totalLatencyMicros = new AtomicLong();

    void arrived() {
        arrivals.increment();
        totalArrivals.incrementAndGet();
    }

    void dropped() {
        dropped.increment();
        totalDropped.incrementAndGet();
    }

    void timedOut() {
        timedOut.increment();
        totalTimedOut.incrementAndGet();
    }

    void completed(long latency, boolean withinSlo) {
        completions.add((1L << 32) | (withinSlo ? 1 : 0));
        latencyNanos.add(latency);
        latencies.recordValue(Math.max(1, latency / 1000));
        totalCompleted.incrementAndGet();
        totalLatencyMicros.addAndGet(latency / 1000);
    }

    void busy(long nanos) {
        busyNanos.add(nanos);
    }

    /** What happened since the previous snapshot. */
    public record Snapshot(long arrivals, long dropped, long timedOut, long completed, long metSlo, long busyNanos,
                    long latencyNanos, double p99Seconds) {}

    synchronized Snapshot snapshot() {
        recycled = latencies.getIntervalHistogram(recycled);
        double p99 = recycled.getTotalCount() == 0 ? Double.NaN : recycled.getValueAtPercentile(99) / 1e6;
        long c = completions.sumThenReset(); // per cell getAndSet: an add counts in this interval or the next, whole
        return new Snapshot(arrivals.sumThenReset(), dropped.sumThenReset(), timedOut.sumThenReset(), c >>> 32,
                c & 0xFFFF_FFFFL, busyNanos.sumThenReset(), latencyNanos.sumThenReset(), p99);
    }
}
