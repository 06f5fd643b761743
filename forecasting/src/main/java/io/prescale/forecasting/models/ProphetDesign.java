package io.prescale.forecasting.models;

import io.prescale.forecasting.History;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.events.EventCalendar;
import io.prescale.forecasting.events.Holidays;
import io.prescale.forecasting.fit.LeastSquares;

import java.util.Arrays;

/**
 * The runtime's fast path over {@link ProphetFeatures}: the same design rows without recomputing
 * trigonometry (Fourier terms come from shared {@link FourierTable}s), and the ridge fit's normal
 * equations accumulated with the Fourier columns grouped by phase.
 *
 * <p>Why grouping: the Fourier terms of a row depend only on its phase in the week (or the day when
 * there are no weekly terms), so X'X's Fourier blocks are sums over phases of (rows at that phase) ×
 * (terms of that phase), and the Fourier × Fourier block needs only the row count per phase. Over a
 * 4-week window that is a quarter of the row-by-row work, and the Fourier × Fourier block is reused
 * from the previous fit whenever the counts per phase are unchanged (a window without new gaps).
 * Only the order of the floating-point sums differs from adding rows one by one.
 */
final class ProphetDesign {
    private final ProphetFeatures f;
    private final TimeGrid grid;
    private final int perDay;
    private final long period;          // the cycle rows are grouped by: a week, a day, or 1 (no Fourier terms)
    private final FourierTable day, week;
    private final int fourierAt, fourierSize, holidayAt, events;
    private final boolean calendarEmpty;

    // Fourier x Fourier block of the last accumulation and the row counts per phase it came from
    private int[] cachedCounts;
    private double[] cachedFF;
    private boolean reused;   // whether the last accumulation reused the block (for tests)

    ProphetDesign(ProphetFeatures f) {
        this.f = f;
        grid = f.grid();
        perDay = grid.perDay();
        long perWeek = 7L * perDay;
        period = f.weeklyOrder() > 0 ? perWeek : f.dailyOrder() > 0 ? perDay : 1;
        day = FourierTable.of(perDay, f.dailyOrder());
        week = FourierTable.of(perWeek, f.weeklyOrder());
        fourierAt = 2 + f.changepointDays().length;
        fourierSize = 2 * f.dailyOrder() + 2 * f.weeklyOrder();
        holidayAt = fourierAt + fourierSize;
        events = f.calendar().names().size();
        calendarEmpty = f.calendar().events().isEmpty() && f.calendar().holidays() == Holidays.NONE;
    }

    ProphetFeatures features() {
        return f;
    }

    int size() {
        return f.size();
    }

    /** Exactly {@link ProphetFeatures#fill}: the row of interval {@code index}. */
    void fill(long index, double[] x) {
        trendAndCalendar(index, x, holidayAt);
        fourier(index, x, fourierAt);
    }

    /**
     * Intercept, trend and hinges into x[0, 2 + changepoints) as {@code fill} computes them, and the
     * holiday and event flags from {@code calendarAt} on; other slots are left alone.
     */
    private void trendAndCalendar(long index, double[] x, int calendarAt) {
        int c = 0;
        double days = (index - f.originIndex()) / (double) perDay;
        x[c++] = 1;
        x[c++] = days;
        for (double cp : f.changepointDays()) x[c++] = Math.max(0, days - cp);
        if (calendarEmpty) {
            Arrays.fill(x, calendarAt, calendarAt + 1 + events, 0);
            return;
        }
        EventCalendar cal = f.calendar();
        var at = grid.start(index);
        x[calendarAt] = cal.holidays().isHoliday(at) ? 1 : 0;
        for (int e = 0; e < events; e++) x[calendarAt + 1 + e] = cal.active(cal.names().get(e), at) ? 1 : 0;
    }

    private void fourier(long index, double[] x, int at) {
        int d = f.dailyOrder(), w = f.weeklyOrder();
        long m = Math.floorMod(index, (long) perDay);
        if (day != null) day.copy((int) m, x, at);
        else if (d > 0) FourierTable.write(m, perDay, d, x, at);
        long perWeek = 7L * perDay;
        long mw = Math.floorMod(index, perWeek);
        if (week != null) week.copy((int) mw, x, at + 2 * d);
        else if (w > 0) FourierTable.write(mw, perWeek, w, x, at + 2 * d);
    }

    /**
     * The ridge problem over the window [start, start + n) of {@code z}: rows i = n - 1, n - 1 - stride, ...
     * (relative to start) whose value is not NaN, as the row-by-row fit takes them. Sets {@code seen[e]}
     * for every event flag that is on in some row.
     */
    LeastSquares normalEquations(History z, long start, int n, int stride, boolean[] seen) {
        int p = f.size(), k = fourierSize, r = p - k;
        // row columns (all but the Fourier block): intercept, trend, hinges, holiday, events, in design order
        int[] col = new int[r];
        for (int j = 0; j < r; j++) col[j] = j < fourierAt ? j : j + k;
        double[] row = new double[r], terms = new double[k];
        double[] rr = new double[r * r], ry = new double[r], sums = new double[r];
        double[] fr = new double[k * r], fy = new double[k];
        // intercept, trend and hinges are polynomials in the day d on the rows past some changepoints, so
        // their block of X'X needs only Σ1, Σd, Σd², Σy, Σdy per band between sorted changepoints
        double[] cps = f.changepointDays().clone();
        Arrays.sort(cps);
        int bands = cps.length + 1, calendarAt = r - 1 - events;
        double[] n0 = new double[bands], s1 = new double[bands], s2 = new double[bands], sy = new double[bands], sdy = new double[bands];
        double yy = 0;
        int rows = 0;
        int groups = (int) period;
        int[] counts = new int[groups];
        for (int g = 0; g < groups; g++) {
            Arrays.fill(sums, 0);
            double sumY = 0;
            int cnt = 0;
            for (long i = start + Math.floorMod(g - start, period); i < start + n; i += period) {
                int rel = (int) (i - start);
                if ((n - 1 - rel) % stride != 0) continue;
                double v = z.get(i);
                if (Double.isNaN(v)) continue;
                trendAndCalendar(i, row, fourierAt);
                double d = row[1];
                int band = 0;
                while (band < cps.length && cps[band] < d) band++;   // the hinges that are non-zero here
                n0[band]++;
                s1[band] += d;
                s2[band] += d * d;
                sy[band] += v;
                sdy[band] += d * v;
                for (int a = 0; a < r; a++) sums[a] += row[a];
                // holiday and event flags: rare, so their rows of X'X are added row by row
                for (int a = calendarAt; a < r; a++) {
                    double xa = row[a];
                    if (xa == 0) continue;
                    if (a > calendarAt) seen[a - calendarAt - 1] = true;
                    ry[a] += xa * v;
                    int base = a * r;
                    for (int b = 0; b <= a; b++) rr[base + b] += xa * row[b];
                }
                yy += v * v;
                sumY += v;
                cnt++;
            }
            counts[g] = cnt;
            rows += cnt;
            if (cnt == 0 || k == 0) continue;
            fourier(g, terms, 0);
            for (int a = 0; a < k; a++) {
                double ta = terms[a];
                fy[a] += ta * sumY;
                int base = a * r;
                for (int b = 0; b < r; b++) fr[base + b] += ta * sums[b];
            }
        }
        double[] ff = fourierBlock(counts, k, terms);
        trendBlock(cps, n0, s1, s2, sy, sdy, rr, ry, r);

        double[] xtx = new double[p * p], xty = new double[p];
        for (int a = 0; a < r; a++) {
            xty[col[a]] = ry[a];
            for (int b = 0; b <= a; b++) xtx[col[a] * p + col[b]] = rr[a * r + b];
        }
        for (int a = 0; a < k; a++) {
            int ca = fourierAt + a;
            xty[ca] = fy[a];
            for (int b = 0; b <= a; b++) xtx[ca * p + fourierAt + b] = ff[a * k + b];
            for (int b = 0; b < r; b++) {
                int cb = col[b];
                if (cb < ca) xtx[ca * p + cb] = fr[a * r + b];
                else xtx[cb * p + ca] = fr[a * r + b];
            }
        }
        LeastSquares ls = new LeastSquares(p);
        ls.addMoments(xtx, xty, yy, rows);
        return ls;
    }

    /**
     * X'X and X'y entries among intercept, trend and hinges from the per-band sums: column j is
     * (d - c_j)^p_j on the rows past c_j (intercept: p = 0; trend: p = 1, c = 0; hinge: p = 1, c = its
     * changepoint), so a product sums 1, d, d² over the bands past both changepoints.
     */
    private void trendBlock(double[] cps, double[] n0, double[] s1, double[] s2, double[] sy, double[] sdy,
                            double[] rr, double[] ry, int r) {
        int bands = n0.length;
        double[] u0 = new double[bands + 1], u1 = new double[bands + 1], u2 = new double[bands + 1], uy = new double[bands + 1], udy = new double[bands + 1];
        for (int b = bands - 1; b >= 0; b--) {   // suffix sums: rows in band b or later
            u0[b] = u0[b + 1] + n0[b];
            u1[b] = u1[b + 1] + s1[b];
            u2[b] = u2[b + 1] + s2[b];
            uy[b] = uy[b + 1] + sy[b];
            udy[b] = udy[b + 1] + sdy[b];
        }
        double[] hinge = f.changepointDays();
        int t = fourierAt;   // intercept, trend, hinges
        double[] c = new double[t];
        int[] from = new int[t];   // first band where the column is non-zero
        for (int j = 2; j < t; j++) {
            c[j] = hinge[j - 2];
            int past = 0;
            while (past < cps.length && cps[past] <= c[j]) past++;
            from[j] = past;
        }
        for (int a = 0; a < t; a++) {
            ry[a] = a == 0 ? uy[0] : udy[from[a]] - c[a] * uy[from[a]];
            for (int b = 0; b <= a; b++) {
                int m = Math.max(from[a], from[b]);
                double v;
                if (a == 0) v = u0[m];
                else if (b == 0) v = u1[m] - c[a] * u0[m];
                else v = u2[m] - (c[a] + c[b]) * u1[m] + c[a] * c[b] * u0[m];
                rr[a * r + b] = v;
            }
        }
    }

    /** Σ over phases of count × terms termsᵀ (lower triangle, k × k), reused while the counts are unchanged. */
    private double[] fourierBlock(int[] counts, int k, double[] terms) {
        reused = cachedFF != null && Arrays.equals(counts, cachedCounts);
        if (reused) return cachedFF;
        double[] ff = new double[k * k];
        for (int g = 0; g < counts.length && k > 0; g++) {
            int cnt = counts[g];
            if (cnt == 0) continue;
            fourier(g, terms, 0);
            for (int a = 0; a < k; a++) {
                double ca = cnt * terms[a];
                int base = a * k;
                for (int b = 0; b <= a; b++) ff[base + b] += ca * terms[b];
            }
        }
        cachedCounts = counts;
        cachedFF = ff;
        return ff;
    }

    boolean reusedFourierBlock() {
        return reused;
    }

    /** Hands the reusable Fourier block on to the design of the next fit when both share the cycle and orders. */
    void inheritCache(ProphetDesign previous) {
        if (previous != null && previous.period == period && previous.fourierSize == fourierSize
                && previous.f.dailyOrder() == f.dailyOrder() && previous.f.weeklyOrder() == f.weeklyOrder()) {
            cachedCounts = previous.cachedCounts;
            cachedFF = previous.cachedFF;
        }
    }
}
