package io.prescale.forecasting.models;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.ParamBinder;
import io.prescale.forecasting.ForecasterProvider;
import io.prescale.forecasting.History;
import io.prescale.forecasting.ModelBuilder;
import io.prescale.forecasting.SeriesModel;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.fit.NelderMead;

import java.time.Duration;
import java.util.Map;

/**
 * Double-seasonal Holt-Winters (Taylor 2003) on log1p counts: level + daily + weekly seasonal terms
 * with an AR(1) adjustment of the one-step error. The smoothing parameters (alpha, gamma, delta, phi)
 * are fit by minimising the one-step squared error over the recent window (Nelder-Mead), refit every
 * {@code refitEvery} of data; between refits the state is updated in O(1) per interval. The weekly
 * term switches on once two weeks of data are in the fit window ({@code weekly: auto}).
 */
public final class HoltWintersForecaster implements ForecasterProvider {

    public record Params(Duration fitWindow, Duration refitEvery, String weekly, int maxFitPoints, int maxEvals) {
        public static final Params DEFAULTS = new Params(Duration.ofDays(14), Duration.ofDays(1), "auto", 4032, 80);

        public Params {
            if (!java.util.List.of("auto", "on", "off").contains(weekly)) throw new IllegalArgumentException("weekly must be auto, on or off, got " + weekly);
            if (maxFitPoints < 100) throw new IllegalArgumentException("maxFitPoints must be >= 100");
            if (maxEvals < 10) throw new IllegalArgumentException("maxEvals must be >= 10");
        }
    }

    @Override
    public String id() {
        return "holt-winters";
    }

    @Override
    public String description() {
        return "double-seasonal Holt-Winters (daily + weekly) with AR(1) error, parameters fit by least squares";
    }

    @Override
    public ModelBuilder builder(TimeGrid grid, Map<String, ?> params, String path) {
        Params p = ParamBinder.bind(Params.class, Params.DEFAULTS, params, path);
        if (p.fitWindow().compareTo(Duration.ofDays(2)) < 0) throw new ConfigException(path + ".fitWindow", "must be >= 2d, got " + p.fitWindow());
        int window = (int) Math.min(p.maxFitPoints(), p.fitWindow().toNanos() / grid.nanos());
        int refit = Math.max(1, (int) (p.refitEvery().toNanos() / grid.nanos()));
        return series -> new Model(grid.perDay(), window, refit, p.weekly(), p.maxEvals());
    }

    static final class Model implements SeriesModel {
        private final int m1, m2, refitEvery, maxEvals;
        private final String weeklyMode;
        private final History z;
        private final double[] daily, weekly;
        private boolean useWeekly, fitted;
        private double alpha, gamma, delta, phi, level, err, lastZ;
        private double[] u = {-1.0, -2.5, -3.5, 1.0};  // unconstrained params, warm start for the next refit
        private int sinceFit;

        Model(int perDay, int window, int refitEvery, String weeklyMode, int maxEvals) {
            m1 = perDay;
            m2 = 7 * perDay;
            this.refitEvery = refitEvery;
            this.maxEvals = maxEvals;
            this.weeklyMode = weeklyMode;
            z = new History(Math.max(window, 2 * perDay + 1));
            daily = new double[m1];
            weekly = new double[m2];
        }

        @Override
        public void update(long index, double value) {
            double v = Double.isNaN(value) ? Double.NaN : Math.log1p(Math.max(value, 0));
            z.put(index, v);
            if (!Double.isNaN(v)) lastZ = v;
            if (fitted) step(index, v);
            sinceFit++;
            if ((!fitted && z.length() >= 2 * m1) || (fitted && sinceFit >= refitEvery)) refit();
        }

        @Override
        public void predict(long from, double[] out) {
            predict(from, out, null);
        }

        @Override
        public void predict(long from, double[] out, double[] logOut) {
            long last = z.lastIndex();
            for (int i = 0; i < out.length; i++) {
                long t = from + i;
                double v;
                if (fitted) {
                    v = level + daily[(int) Math.floorMod(t, (long) m1)] + (useWeekly ? weekly[(int) Math.floorMod(t, (long) m2)] : 0)
                            + Math.pow(phi, t - last) * err;
                } else {  // not enough data yet: same time yesterday, else the last value
                    v = z.get(t - m1 * ((t - last + m1 - 1) / m1));
                    if (Double.isNaN(v)) v = lastZ;
                }
                out[i] = Math.max(0, Math.expm1(v));
                if (logOut != null) logOut[i] = Math.max(0, v);
            }
        }

        private void step(long index, double v) {
            int a = (int) Math.floorMod(index, (long) m1);
            int b = (int) Math.floorMod(index, (long) m2);
            double base = level + daily[a] + (useWeekly ? weekly[b] : 0);
            if (Double.isNaN(v)) {
                err *= phi;
                return;
            }
            double e = v - base;
            double eps = e - phi * err;
            level += alpha * eps;
            daily[a] += gamma * eps;
            if (useWeekly) weekly[b] += delta * eps;
            err = e;
        }

        private void refit() {
            sinceFit = 0;
            int n = z.length();
            long start = z.lastIndex() - n + 1;
            double[] x = new double[n];
            z.copy(start, x);
            useWeekly = weeklyMode.equals("on") || (weeklyMode.equals("auto") && n >= 2 * m2);
            double[] init = initialState(x, start);
            double[] best = NelderMead.minimize(q -> sse(q, x, start, init), u, 0.7, fitted ? maxEvals / 2 : maxEvals);
            u = best;
            setParams(best);
            load(init);
            for (int i = 0; i < n; i++) step(start + i, x[i]);
            fitted = true;
        }

        private void setParams(double[] q) {
            alpha = sig(q[0]);
            gamma = sig(q[1]);
            delta = useWeekly ? sig(q[2]) : 0;
            phi = 0.98 * sig(q[3]);
        }

        private static double sig(double a) {
            return 1 / (1 + Math.exp(-a));
        }

        /** [level, daily[m1], weekly[m2]] from averages over the window. */
        private double[] initialState(double[] x, long start) {
            double[] s = new double[1 + m1 + m2];
            double sum = 0;
            int cnt = 0;
            for (double v : x) if (!Double.isNaN(v)) { sum += v; cnt++; }
            double mean = cnt == 0 ? 0 : sum / cnt;
            double[] ds = new double[m1];
            int[] dc = new int[m1];
            for (int i = 0; i < x.length; i++) {
                if (Double.isNaN(x[i])) continue;
                int a = (int) Math.floorMod(start + i, (long) m1);
                ds[a] += x[i] - mean;
                dc[a]++;
            }
            for (int a = 0; a < m1; a++) s[1 + a] = dc[a] == 0 ? 0 : ds[a] / dc[a];
            if (useWeekly) {
                double[] ws = new double[m2];
                int[] wc = new int[m2];
                for (int i = 0; i < x.length; i++) {
                    if (Double.isNaN(x[i])) continue;
                    long t = start + i;
                    int b = (int) Math.floorMod(t, (long) m2);
                    ws[b] += x[i] - mean - s[1 + (int) Math.floorMod(t, (long) m1)];
                    wc[b]++;
                }
                for (int b = 0; b < m2; b++) s[1 + m1 + b] = wc[b] == 0 ? 0 : ws[b] / wc[b];
            }
            // start the level at the first day's mean, not the window's
            double fs = 0;
            int fc = 0;
            for (int i = 0; i < Math.min(m1, x.length); i++) {
                if (Double.isNaN(x[i])) continue;
                long t = start + i;
                fs += x[i] - s[1 + (int) Math.floorMod(t, (long) m1)] - (useWeekly ? s[1 + m1 + (int) Math.floorMod(t, (long) m2)] : 0);
                fc++;
            }
            s[0] = fc == 0 ? mean : fs / fc;
            return s;
        }

        private void load(double[] init) {
            level = init[0];
            System.arraycopy(init, 1, daily, 0, m1);
            if (useWeekly) System.arraycopy(init, 1 + m1, weekly, 0, m2);
            else java.util.Arrays.fill(weekly, 0);
            err = 0;
        }

        /** One-step squared error of params {@code q} over the window, after a one-day burn-in. */
        private double sse(double[] q, double[] x, long start, double[] init) {
            double a = sig(q[0]), g = sig(q[1]), dl = useWeekly ? sig(q[2]) : 0, ph = 0.98 * sig(q[3]);
            double lv = init[0], e = 0, total = 0;
            double[] d = new double[m1];
            System.arraycopy(init, 1, d, 0, m1);
            double[] w = useWeekly ? new double[m2] : null;
            if (useWeekly) System.arraycopy(init, 1 + m1, w, 0, m2);
            int ia = (int) Math.floorMod(start, (long) m1);
            int ib = (int) Math.floorMod(start, (long) m2);
            for (int i = 0; i < x.length; i++) {
                double base = lv + d[ia] + (useWeekly ? w[ib] : 0);
                double v = x[i];
                if (Double.isNaN(v)) {
                    e *= ph;
                } else {
                    double en = v - base;
                    double eps = en - ph * e;
                    if (i >= m1) total += eps * eps;
                    lv += a * eps;
                    d[ia] += g * eps;
                    if (useWeekly) w[ib] += dl * eps;
                    e = en;
                }
                if (++ia == m1) ia = 0;
                if (++ib == m2) ib = 0;
            }
            return total;
        }
    }
}
