package io.prescale.simulator.workload;

import io.prescale.core.policy.DemandOracle;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Future demand read from the workload itself (for the oracle and static peak sizing): exact request
 * counts for request traces (spread over their gaps above a rate scale of 1, as they are replayed), expected
 * counts (rate × time) for per-interval traces, both times the rate scale, restricted to the scored window.
 */
public final class WorkloadOracle implements DemandOracle {
    private final Workload w;
    private final Map<String, Integer> index = new HashMap<>();
    private final double from;
    private final double to;
    private final double rateScale;
    private final Map<String, Double> peaks = new HashMap<>();

    public WorkloadOracle(Workload w, double from, double to, double rateScale) {
        this.w = w;
        for (int i = 0; i < w.models().size(); i++) index.put(w.models().get(i), i);
        this.from = from;
        this.to = to;
        this.rateScale = rateScale;
    }

    @Override
    public double arrivals(String model, Instant a, Instant b) {
        return expected(model, w.seconds(a), w.seconds(b));
    }

    /** Expected arrivals of {@code model} in [a, b) seconds, clipped to the scored window. */
    public double expected(String model, double a, double b) {
        Integer i = index.get(model);
        if (i == null) return 0;
        a = Math.max(a, from);
        b = Math.min(b, to);
        if (b <= a) return 0;
        if (w.perInterval()) {
            Workload.IntervalSeries s = w.intervals(i);
            int k = lowerWindow(s, a);
            double sum = 0;
            for (; k < s.size() && s.start()[k] < b; k++) {
                if (s.gap()[k]) continue;
                double lo = Math.max(a, s.start()[k]), hi = Math.min(b, s.start()[k] + s.length()[k]);
                if (hi > lo) sum += s.rate()[k] * (hi - lo);
            }
            return sum * rateScale;
        }
        double[] t = w.requests(i).time();
        if (rateScale > 1) return (spreadBefore(t, b) - spreadBefore(t, a)) * rateScale;
        return (Workload.firstAtOrAfter(t, b) - Workload.firstAtOrAfter(t, a)) * rateScale;
    }

    /**
     * Recorded requests before {@code x} when each is spread evenly over the gap to the next later one, as a rate
     * scale above 1 replays them ({@link ArrivalSource}): the whole requests before the last instant before x, plus
     * the part of that instant's gap before x for each request recorded at it (all of it for the trace's last
     * instant, which has no gap).
     */
    static double spreadBefore(double[] t, double x) {
        int k = Workload.firstAtOrAfter(t, x);
        if (k == 0) return 0;
        if (k == t.length) return k;
        int group = Workload.firstAtOrAfter(t, t[k - 1]); // the first request at that instant
        return group + (k - group) * (x - t[k - 1]) / (t[k] - t[k - 1]);
    }

    /** The scored window's end, rounded up to whole nanoseconds: a request trace's window ends just after its last request. */
    @Override
    public Instant end() {
        Instant e = w.at(to);
        return w.seconds(e) < to ? e.plusNanos(1) : e;
    }

    @Override
    public double peakRate(String model, double windowSeconds) {
        return peaks.computeIfAbsent(model + "@" + windowSeconds, k -> {
            double best = 0;
            for (double t = from; t < to; t += windowSeconds) best = Math.max(best, expected(model, t, t + windowSeconds) / windowSeconds);
            return best;
        });
    }

    private static int lowerWindow(Workload.IntervalSeries s, double a) {
        int lo = 0, hi = s.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s.start()[mid] + s.length()[mid] <= a) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
