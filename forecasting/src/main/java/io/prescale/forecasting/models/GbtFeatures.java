package io.prescale.forecasting.models;

import io.prescale.forecasting.History;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.events.EventCalendar;

import java.util.List;

/**
 * Features of the global gradient-boosted model, shared by Spark training and runtime prediction (so
 * both see identical inputs). Values are log1p counts relative to the series' recent level, which lets
 * one model serve series of very different volumes. The target is log1p(y[t+k]) - level.
 */
public final class GbtFeatures {
    /** Bump when the feature list or its meaning changes; artifacts record it. */
    public static final int VERSION = 2;
    public static final List<String> NAMES = List.of(
            "lead_steps", "lag1", "lag2", "lag3", "mean_day", "sd_recent",
            "seasonal_day", "seasonal_week", "origin_day_ago", "hour_sin", "hour_cos", "day_of_week",
            "event", "holiday");

    private final TimeGrid grid;
    private final EventCalendar calendar;
    private final int m;
    private final int recent;
    private final FourierTable hourTable;   // sin/cos of the time of day, exactly as computed directly

    public GbtFeatures(TimeGrid grid, EventCalendar calendar) {
        this.grid = grid;
        this.calendar = calendar;
        this.m = grid.perDay();
        this.recent = Math.max(3, (int) (java.time.Duration.ofHours(1).toNanos() / grid.nanos()));
        this.hourTable = FourierTable.of(m, 1);
    }

    public int size() {
        return NAMES.size();
    }

    /** History the features need: one week plus a day. */
    public int historyNeeded() {
        return 8 * m + 2;
    }

    /**
     * The series' level at origin {@code t} (last observed index): mean log1p of the last hour, else the
     * last finite value within a day; NaN when the last day is all masked.
     */
    public double level(History z, long t) {
        double s = 0;
        int c = 0;
        for (int i = 0; i < recent; i++) { double v = z.get(t - i); if (!Double.isNaN(v)) { s += v; c++; } }
        if (c > 0) return s / c;
        for (int i = recent; i < m; i++) { double v = z.get(t - i); if (!Double.isNaN(v)) return v; }
        return Double.NaN;
    }

    /** Fills {@code x} for a forecast from origin {@code t} (last observed) to {@code t + k}, k >= 1. */
    public void fill(History z, long t, int k, double level, double[] x) {
        fillOrigin(z, t, level, x);
        fillLead(z, t, k, level, x);
    }

    /**
     * The features that depend only on the origin (lags, daily mean, recent spread): the same for every
     * lead, so a multi-step forecast computes them once and then calls {@link #fillLead} per lead.
     */
    public void fillOrigin(History z, long t, double level, double[] x) {
        int c = 1;
        // no absolute level: trees cannot extrapolate it, and relative values carry the shape
        x[c++] = rel(z.get(t), level);
        x[c++] = rel(z.get(t - 1), level);
        x[c++] = rel(z.get(t - 2), level);
        double s = 0;
        int n0 = 0;
        for (int i = 0; i < m; i += Math.max(1, m / 48)) { double v = z.get(t - i); if (!Double.isNaN(v)) { s += v; n0++; } }
        x[c++] = n0 == 0 ? 0 : s / n0 - level;
        double ss = 0, sm = 0;
        int n = 0;
        for (int i = 0; i < recent; i++) { double v = z.get(t - i); if (!Double.isNaN(v)) { sm += v; ss += v * v; n++; } }
        x[c] = n < 2 ? 0 : Math.sqrt(Math.max(0, ss / n - (sm / n) * (sm / n)));
    }

    /** The lead-dependent features of the forecast from origin {@code t} to {@code t + k}; see {@link #fillOrigin}. */
    public void fillLead(History z, long t, int k, double level, double[] x) {
        long target = t + k;
        x[0] = k;
        int c = 6;
        long dayBack = target - m * ((k + m - 1) / m);
        x[c++] = rel(z.get(dayBack), level);
        x[c++] = rel(z.get(target - 7L * m), level);
        x[c++] = rel(z.get(t - m * ((k + m - 1) / m)), level);
        long phase = Math.floorMod(target, (long) m);
        if (hourTable != null) hourTable.copy((int) phase, x, c);
        else FourierTable.write(phase, m, 1, x, c);
        c += 2;
        x[c++] = grid.dayOfWeekFromEpoch(target);
        var at = grid.start(target);
        x[c++] = calendar.anyActive(at) ? 1 : 0;
        x[c] = calendar.holidays().isHoliday(at) ? 1 : 0;
    }

    private static double rel(double v, double level) {
        return Double.isNaN(v) ? 0 : v - level;  // a masked lag reads as "at the level"
    }
}
