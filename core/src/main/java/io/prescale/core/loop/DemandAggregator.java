package io.prescale.core.loop;

import io.prescale.core.forecast.Forecaster;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns per-tick arrival counts into the forecaster's own intervals: a bucket is handed over only once
 * it is complete, so forecasters never see a partial (or future) interval. A bucket touched by a
 * masked tick is handed over as NaN (a gap, not zero demand).
 */
public final class DemandAggregator {
    private final Forecaster forecaster;
    private final long bucketNanos;
    private final Map<String, Bucket> open = new HashMap<>();

    private static final class Bucket {
        long index;
        double count;
        boolean masked;
    }

    public DemandAggregator(Forecaster forecaster) {
        this.forecaster = forecaster;
        this.bucketNanos = forecaster.interval().toNanos();
        if (bucketNanos <= 0) throw new IllegalArgumentException("forecaster interval must be > 0");
    }

    /**
     * Adds arrivals of {@code series} seen over [tickStart, tickEnd); flushes buckets that ended. (A count, or an
     * expected count: the simulator opens the bucket a run starts in with the trace's demand before the start.)
     */
    public void add(String series, Instant tickStart, Instant tickEnd, double arrivals, boolean masked) {
        long idx = Math.floorDiv(nanos(tickStart), bucketNanos);
        Bucket b = open.get(series);
        if (b == null) {
            b = new Bucket();
            b.index = idx;
            open.put(series, b);
        }
        if (idx > b.index) {
            flush(series, b);
            // buckets skipped entirely (no tick fell inside) are zero demand
            for (long k = b.index + 1; k < idx; k++) forecaster.observe(series, start(k), 0);
            b.index = idx;
            b.count = 0;
            b.masked = false;
        }
        b.count += arrivals;
        b.masked |= masked;
        long endIdx = Math.floorDiv(nanos(tickEnd), bucketNanos);
        if (endIdx > b.index && nanos(tickEnd) % bucketNanos == 0) {
            flush(series, b);
            b.index = endIdx;
            b.count = 0;
            b.masked = false;
        }
    }

    /** Drops {@code series}' open bucket (its part-counted interval is never handed over) and the forecaster's state of it. */
    public void forget(String series) {
        open.remove(series);
        forecaster.forget(series);
    }

    private void flush(String series, Bucket b) {
        forecaster.observe(series, start(b.index), b.masked ? Double.NaN : b.count);
    }

    private Instant start(long index) {
        long n = index * bucketNanos;
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    public Duration bucket() {
        return Duration.ofNanos(bucketNanos);
    }
}
