package io.prescale.simulator.engine;

import io.prescale.simulator.workload.Workload;

/** Which windows of a per-interval trace are gaps (no data), so they are not learned as zero demand. */
final class MaskedWindows {
    private final Workload w;

    MaskedWindows(Workload w) {
        this.w = w;
    }

    /**
     * Whether a gap window of {@code model} overlaps [{@code from}, {@code to}): what a control tick at {@code to}
     * reports of the interval since the one at {@code from}. Never the window that starts at {@code to}, which
     * is the future at that tick.
     */
    boolean within(int model, double from, double to) {
        if (!w.perInterval() || !(to > from)) return false;
        if (from < w.start()) return true; // before the trace's first record (an interval trace starts at its midnight): unknown, not zero
        Workload.IntervalSeries s = w.intervals(model);
        // the first window that ends after from (windows are in time order and do not overlap)
        int lo = 0, hi = s.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s.start()[mid] + s.length()[mid] <= from) lo = mid + 1;
            else hi = mid;
        }
        for (int k = lo; k < s.size() && s.start()[k] < to; k++) if (s.gap()[k]) return true;
        return false;
    }
}
