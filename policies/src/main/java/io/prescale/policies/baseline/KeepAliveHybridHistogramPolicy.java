package io.prescale.policies.baseline;

import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PolicyContext;

import java.time.Duration;

/**
 * The hybrid histogram policy of Shahrad et al., "Serverless in the Wild" (ATC'20). Per model it keeps a
 * histogram of idle times (1-minute bins over a 4-hour range). When the histogram is representative
 * (enough samples, CV of bin counts ≥ 2, few out-of-range idle times), after each idle period begins the
 * model is unloaded, pre-warmed again at the 5th percentile of idle time (minus a 10 % margin) and kept
 * until the 99th percentile (plus 10 %). Otherwise it falls back to a fixed keep-alive of the whole range.
 * Replicas follow concurrency while requests are in the system and, as with fixed keep-alive, each one is
 * kept until it has been unneeded for the keep-alive window (the histogram's, or the whole range while it is
 * not representative); a replica beyond the first was dropped the tick it was not needed, so a continuously
 * loaded model kept unloading and reloading replicas that its own keep-alive would have held.
 */
public final class KeepAliveHybridHistogramPolicy extends PerModelPolicy<KeepAliveHybridHistogramPolicy.State> {

    public record Params(Duration bin, Duration range, double headPercentile, double tailPercentile,
                         double margin, double minCv, int minSamples, double maxOutOfRange, Duration tick) {
        public static final Params DEFAULTS = new Params(Duration.ofMinutes(1), Duration.ofHours(4), 5, 99,
                0.10, 2.0, 10, 0.5, Duration.ofSeconds(5));

        public Params {
            if (bin.isNegative() || bin.isZero() || range.compareTo(bin) < 0) throw new IllegalArgumentException("need 0 < bin <= range");
            if (!(headPercentile >= 0 && headPercentile < tailPercentile && tailPercentile <= 100))
                throw new IllegalArgumentException("need 0 <= headPercentile < tailPercentile <= 100");
            if (!(margin >= 0 && margin < 1)) throw new IllegalArgumentException("margin must be in [0, 1)");
            // every model keeps range / bin counters: a year of 1-minute bins is 525,600 of them per model
            if (range.toNanos() / bin.toNanos() > MAX_BINS) throw new IllegalArgumentException("range must be at most " + MAX_BINS + " bins (range / bin), got " + range.toNanos() / bin.toNanos());
            if (!(minCv >= 0)) throw new IllegalArgumentException("minCv must be >= 0");
            if (minSamples < 1) throw new IllegalArgumentException("minSamples must be >= 1");
            if (!(maxOutOfRange >= 0 && maxOutOfRange <= 1)) throw new IllegalArgumentException("maxOutOfRange must be in [0, 1]");
            if ((tick.isNegative() || tick.isZero())) throw new IllegalArgumentException("tick must be > 0");
        }
    }

    /** The most histogram bins a model keeps (range / bin). */
    static final int MAX_BINS = 100_000;

    static final class State {
        long[] bins;
        long samples;
        long outOfRange;
        long idleSince = Long.MIN_VALUE; // start of the current idle period
        WindowMax needed;                // replicas needed per tick, over the longest keep-alive window
    }

    private final Params p;
    private final int nBins;

    public KeepAliveHybridHistogramPolicy(Params p, PolicyContext ctx) {
        super("keepalive.hybrid-histogram", p.tick(), State::new);
        this.p = p;
        this.nBins = (int) (p.range().toNanos() / p.bin().toNanos());
    }

    @Override
    public boolean scalesFromZeroOnArrival() {
        return true;
    }

    @Override
    protected int target(ModelObservation m, State s, Observation obs) {
        if (s.bins == null) {
            s.bins = new long[nBins];
            // the longest keep-alive window(): the upper edge of the last bin plus the margin, at least a bin
            s.needed = new WindowMax((long) (p.range().toNanos() * (1 + p.margin())) + p.bin().toNanos());
        }
        long now = obs.nowNanos();
        int needed = KeepAliveFixedPolicy.neededNow(m);
        s.needed.add(now, needed);
        if (needed > 0) {
            if (s.idleSince != Long.MIN_VALUE) record(s, now - s.idleSince);
            s.idleSince = Long.MIN_VALUE;
        }
        long[] window = window(s);
        // not representative: standard keep-alive over the whole histogram range
        long keep = window == null ? p.range().toNanos() : window[1];
        // follow concurrency while busy; a replica stays until it has been unneeded for the keep-alive
        int held = (int) s.needed.maxOver(now, keep);
        if (needed > 0) return Math.max(needed, held);
        if (s.idleSince == Long.MIN_VALUE) s.idleSince = now;
        long idle = now - s.idleSince;
        if (window == null || window[0] == 0) return idle < keep ? Math.max(1, held) : held;
        // idle periods long enough to pre-warm for: unloaded at once, pre-warmed at the head of the idle times
        return idle >= window[0] && idle < window[1] ? 1 : 0;
    }

    private void record(State s, long idleNanos) {
        long b = idleNanos / p.bin().toNanos();
        s.samples++;
        if (b >= nBins) s.outOfRange++;
        else s.bins[(int) b]++;
    }

    /** {pre-warm, keep-alive end} since the idle period began, or null when the histogram is not representative. */
    private long[] window(State s) {
        long inRange = s.samples - s.outOfRange;
        if (s.samples < p.minSamples() || inRange == 0 || s.outOfRange > p.maxOutOfRange() * s.samples) return null;
        double mean = inRange / (double) nBins;
        double var = 0;
        for (long c : s.bins) var += (c - mean) * (c - mean);
        double cv = Math.sqrt(var / nBins) / mean;
        if (cv < p.minCv()) return null;
        long binNanos = p.bin().toNanos();
        long head = percentileBin(s, p.headPercentile(), inRange);
        long tail = percentileBin(s, p.tailPercentile(), inRange) + 1; // upper edge of the tail bin
        long prewarm = (long) (head * binNanos * (1 - p.margin()));
        long keepUntil = (long) (tail * binNanos * (1 + p.margin()));
        return new long[]{prewarm, Math.max(keepUntil, prewarm + binNanos)};
    }

    private long percentileBin(State s, double pct, long total) {
        double want = pct / 100.0 * total;
        long cum = 0;
        for (int i = 0; i < nBins; i++) {
            cum += s.bins[i];
            if (cum >= want && cum > 0) return i;
        }
        return nBins - 1;
    }
}
