package io.prescale.core.loop;

import io.prescale.core.forecast.Forecaster;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns per-tick arrival counts into the forecaster's own intervals: a bucket is handed over only once
 * it is complete, so forecasters never see a partial (or future) interval. A bucket touched by a
 * masked tick is handed over as NaN (a gap, not zero demand). Buckets no tick fell inside are handed over as zero
 * demand, unless there are more of them in a row than the forecaster's {@link Forecaster#memory()} (a clock that jumped
 * far ahead): the series is then forgotten and starts afresh at the new bucket, so one tick never walks years of buckets.
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
        long s = nanos(tickStart), e = nanos(tickEnd);
        if (e - s > bucketNanos) {
            // a tick longer than a bucket (a policy's tick set above the forecaster's interval): its arrivals are spread
            // over the buckets it covers by their overlap with it. Counted by its start, as a shorter tick is, the whole
            // tick went to one bucket and the buckets after it that no tick starts in were handed over as zero demand,
            // or not at all
            for (long k = Math.floorDiv(s, bucketNanos); ; k++) {
                long a = Math.max(s, k * bucketNanos), b = Math.min(e, (k + 1) * bucketNanos);
                if (a >= e) break;
                addWithin(series, a, b, arrivals * ((double) (b - a) / (e - s)), masked);
            }
            return;
        }
        addWithin(series, s, e, arrivals, masked);
    }

    /** {@link #add} for a tick of at most a bucket, [{@code tickStart}, {@code tickEnd}) in nanoseconds: counted by its start. */
    private void addWithin(String series, long tickStart, long tickEnd, double arrivals, boolean masked) {
        long idx = Math.floorDiv(tickStart, bucketNanos);
        Bucket b = open.get(series);
        if (b == null) {
            b = new Bucket();
            b.index = idx;
            open.put(series, b);
        }
        if (idx > b.index) {
            long skipped = idx - b.index - 1;   // >= 0; idx - b.index does not overflow as both come from nanos / bucket
            if (skipped > Math.max(1, forecaster.memory())) {
                // too long a gap to hand over bucket by bucket: nothing before it would shape a forecast anyway
                forecaster.forget(series);
            } else {
                flush(series, b);
                // buckets skipped entirely (no tick fell inside) are zero demand
                for (long k = b.index + 1; k < idx; k++) forecaster.observe(series, start(k), 0);
            }
            b.index = idx;
            b.count = 0;
            b.masked = false;
        }
        b.count += arrivals;
        b.masked |= masked;
        long endIdx = Math.floorDiv(tickEnd, bucketNanos);
        if (endIdx > b.index && Math.floorMod(tickEnd, bucketNanos) == 0) {
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

    /**
     * Nanoseconds since the epoch of {@code t}; refused (IllegalArgumentException naming it) outside what a long holds,
     * about the years 1677 to 2262: the product wrapped silently before, so a clock set past 2262 (or a trace's
     * timestamp read wrong) put its ticks in buckets centuries back, handed over to the forecaster as that time's demand.
     */
    static long nanos(Instant t) {
        try {
            long sec = t.getEpochSecond();
            int nano = t.getNano();
            // before the epoch, a second less of the product and the nanoseconds below zero: the earliest instants fit too
            if (sec < 0 && nano > 0) return Math.addExact(Math.multiplyExact(sec + 1, 1_000_000_000L), nano - 1_000_000_000L);
            return Math.addExact(Math.multiplyExact(sec, 1_000_000_000L), nano);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("demand aggregation: the clock reads " + t + ", outside the instants it counts in "
                    + "nanoseconds (" + MIN + " to " + MAX + "); check the clock (or the trace's timestamps)", e);
        }
    }

    private static final Instant MIN = Instant.ofEpochSecond(0, Long.MIN_VALUE), MAX = Instant.ofEpochSecond(0, Long.MAX_VALUE);

    public Duration bucket() {
        return Duration.ofNanos(bucketNanos);
    }
}
