package io.prescale.simulator.engine;

import io.prescale.simulator.workload.Workload;

/** Which windows of a per-interval trace are gaps (no data), so they are not learned as zero demand. */
final class MaskedWindows {
    private final Workload w;

    MaskedWindows(Workload w) {
        this.w = w;
    }

    boolean maskedAt(int model, double t) {
        if (!w.perInterval()) return false;
        Workload.IntervalSeries s = w.intervals(model);
        int lo = 0, hi = s.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (s.start()[mid] + s.length()[mid] <= t) lo = mid + 1;
            else if (s.start()[mid] > t) hi = mid - 1;
            else return s.gap()[mid];
        }
        return false;
    }
}
