package io.prescale.simulator.metrics;

import org.HdrHistogram.Histogram;

/**
 * Counters and latency histograms of one model in one run. Latencies are recorded in microseconds:
 * for the whole run and for the current report interval (2 significant digits), booked when the request is
 * dispatched (its latency is fixed then); and in power-of-two buckets for the current control tick (only to show
 * the policy a p99), booked when the request finishes ({@link #finishedInTick}), so a tick's figures hold only
 * requests that had finished by the tick, as a live system measures them.
 */
public final class ModelMetrics {
    static final long MAX_MICROS = 10_000_000_000L; // 2.8 h: anything longer is clamped

    public final Histogram total = new Histogram(MAX_MICROS, 2);
    public final Histogram report = new Histogram(MAX_MICROS, 2);
    /** Per-tick latencies in power-of-two microsecond buckets: enough to show the policy a p99, and ~1 ns to record. */
    public final long[] tick = new long[64];
    private long tickCount;

    // whole run
    public long arrived, served, dropped, timedOut, sloMet, coldStarts, batches;
    public long rejectedEarly;      // of the dropped: turned away at arrival by deadline admission
    public long coldRequests;       // arrived while the model had no loaded replica: they wait for a load (or are lost)
    public long preempted;          // replicas taken from it for a higher-priority model
    public long spotLost;           // replicas lost when their spot node was taken back
    public double budgetShortReplicaSeconds;   // replicas the policy wanted and its budget held back x time
    public double capacityShortReplicaSeconds; // replicas granted that found no room in the pool x time
    // busy time counts inside the scored window, and while the replica is on its node, only (a batch running past
    // the end counts up to it; see ModelServer.busyBookedAfter and remove), so that busy / billed is a utilisation
    public double busySeconds;      // replica-seconds spent serving
    public double busyGpuSeconds;   // GPU-seconds spent serving (replica share x GPUs per node)
    public double gpuSeconds;       // GPU-seconds attributed to this model (share x time)
    public double costUsd;          // money attributed to this model
    public double spareUsd;         // of it: its share of nodes' time with no replica (spares, warm nodes, drain tails)
    public double spareGpuSeconds;  // of gpuSeconds: the same share of those nodes' GPU time
    public double residentGpuByteSeconds; // GPU memory held by this model's replicas (loading, idle or serving) x time
    public double busyGpuByteSeconds;     // the part of it held while serving: each replica's memory x its busy time
    // requests served that have finished, and of them within the SLO: what is known of the outcomes at a time (served
    // and sloMet count a request when it is dispatched, its latency fixed then); booked by finishedInTick
    public long servedFinished, sloMetFinished;
    // since the last control tick; served and SLO met count requests that finished in it ({@link #finishedInTick})
    public long tickArrived, tickServed, tickDropped, tickTimedOut, tickSloMet;
    // since the last report row
    public long repArrived, repServed, repDropped, repTimedOut, repSloMet;
    public double repCostUsd, repGpuSeconds;
    public double repSpareUsd;      // of repCostUsd: the share of nodes' time with no replica
    public double repBusySeconds;   // replica-seconds spent serving since the last report row
    public double repReplicaSeconds; // replica-seconds held on nodes (loading included) since the last report row

    /**
     * Counted up at each reset of the scored counters ({@link #resetForScoring}) and of the report row's ({@link #resetReport}):
     * what a request booked at dispatch was booked in, so that taking it back ({@link #takeBack}) knows whether it still can.
     */
    public long scoreEpoch, reportEpoch;
    private Histogram takenFromTotal, takenFromReport;

    /**
     * Takes back a request counted as served at dispatch, with this latency, that was not served after all (its replica
     * was lost before its work was done): from the scored counters and latencies if it was booked in this scored window
     * ({@code scoreEpoch}), from the report row's if in this row ({@code reportEpoch}). Booked in an earlier one (before
     * the warm-up ended, in a row already closed), it stays there and counts as arriving again in this one, as requests
     * waiting when scoring starts do. Histograms change at {@link #tookBack}.
     */
    public void takeBack(double seconds, boolean met, long scoreEpoch, long reportEpoch) {
        long us = micros(seconds);
        if (scoreEpoch == this.scoreEpoch) {
            served--;
            if (met) sloMet--;
            if (takenFromTotal == null) takenFromTotal = new Histogram(MAX_MICROS, 2);
            takenFromTotal.recordValue(us);
        } else {
            arrived++;
        }
        if (reportEpoch == this.reportEpoch) {
            repServed--;
            if (met) repSloMet--;
            if (takenFromReport == null) takenFromReport = new Histogram(MAX_MICROS, 2);
            takenFromReport.recordValue(us);
        } else {
            repArrived++;
        }
    }

    /** Takes the latencies {@link #takeBack} took back out of the run's and the report row's histograms. */
    public void tookBack() {
        if (takenFromTotal != null && takenFromTotal.getTotalCount() > 0) {
            total.subtract(takenFromTotal);
            takenFromTotal.reset();
        }
        if (takenFromReport != null && takenFromReport.getTotalCount() > 0) {
            report.subtract(takenFromReport);
            takenFromReport.reset();
        }
    }

    /** Books a served request's latency in the run's and the report row's histograms (at dispatch). */
    public void recordLatency(double seconds) {
        long us = micros(seconds);
        total.recordValue(us);
        report.recordValue(us);
    }

    private static long micros(double seconds) {
        return Math.min(MAX_MICROS, Math.max(1, (long) (seconds * 1e6)));
    }

    /** The power-of-two bucket of the tick's histogram a latency of {@code seconds} falls in. */
    public static int tickBucket(double seconds) {
        return Math.getExponent((double) micros(seconds));
    }

    /**
     * {@code count} requests whose latencies fall in tick bucket {@code bucket} ({@link #tickBucket}) finished now,
     * {@code met} of them within the SLO: what the current tick's served, SLO-met and p99 count.
     */
    public void finishedInTick(int bucket, int count, int met) {
        tick[bucket] += count;
        tickCount += count;
        tickServed += count;
        tickSloMet += met;
        servedFinished += count;
        sloMetFinished += met;
    }

    /** Forgets the warm-up: only what happens from now on is scored; {@code waiting} requests count as arrived now. */
    public void resetForScoring(long waiting) {
        scoreEpoch++;
        total.reset();
        arrived = waiting;
        served = dropped = timedOut = sloMet = servedFinished = sloMetFinished = coldStarts = batches = rejectedEarly = coldRequests = preempted = spotLost = 0;
        budgetShortReplicaSeconds = capacityShortReplicaSeconds = 0;
        busySeconds = busyGpuSeconds = gpuSeconds = costUsd = spareUsd = spareGpuSeconds = residentGpuByteSeconds = busyGpuByteSeconds = 0;
        resetReport();
        repArrived = waiting;
    }

    public void resetTick() {
        tickArrived = tickServed = tickDropped = tickTimedOut = tickSloMet = 0;
        if (tickCount > 0) {
            java.util.Arrays.fill(tick, 0);
            tickCount = 0;
        }
    }

    public void resetReport() {
        reportEpoch++;
        repArrived = repServed = repDropped = repTimedOut = repSloMet = 0;
        repCostUsd = repGpuSeconds = repSpareUsd = repBusySeconds = repReplicaSeconds = 0;
        if (report.getTotalCount() > 0) report.reset();
    }

    /** The tick's latency quantile in seconds (upper edge of its power-of-two bucket), NaN when empty. */
    public double tickQuantileSeconds(double q) {
        if (tickCount == 0) return Double.NaN;
        long want = (long) Math.ceil(q * tickCount), cum = 0;
        for (int i = 0; i < tick.length; i++) {
            cum += tick[i];
            if (cum >= want) return Math.scalb(2.0, i) / 1e6;
        }
        return MAX_MICROS / 1e6;
    }

    /** Latency quantile in seconds of a histogram, NaN when empty. */
    public static double quantileSeconds(Histogram h, double q) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(q * 100) / 1e6;
    }
}
