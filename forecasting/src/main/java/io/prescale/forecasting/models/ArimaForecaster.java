package io.prescale.forecasting.models;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.ParamBinder;
import io.prescale.forecasting.ForecasterProvider;
import io.prescale.forecasting.History;
import io.prescale.forecasting.ModelBuilder;
import io.prescale.forecasting.SeriesModel;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.fit.LeastSquares;

import java.time.Duration;
import java.util.Map;

/**
 * Seasonal ARIMA(p,d,q)(0,D,Q)[1 day] on log1p counts with automatic order selection by AIC.
 * Orders p in 0..3, q in 0..2, Q in 0..1 and d in 0..1 are searched (D = 1 once three days are in the
 * window); coefficients are estimated by Hannan-Rissanen (a long autoregression supplies the
 * innovations, then one least-squares regression per order), which is fast enough to re-estimate
 * daily and to re-select the order weekly. Masked intervals are imputed with the one-step forecast
 * (innovation 0) and left out of every regression.
 */
public final class ArimaForecaster implements ForecasterProvider {

    public record Params(Duration fitWindow, Duration refitEvery, Duration reselectEvery, int maxP, int maxQ, boolean seasonalMa) {
        public static final Params DEFAULTS = new Params(Duration.ofDays(7), Duration.ofDays(1), Duration.ofDays(7), 3, 2, true);

        public Params {
            if (maxP < 0 || maxP > 6) throw new IllegalArgumentException("maxP must be in 0..6, got " + maxP);
            if (maxQ < 0 || maxQ > 4) throw new IllegalArgumentException("maxQ must be in 0..4, got " + maxQ);
        }
    }

    @Override
    public String id() {
        return "arima";
    }

    @Override
    public String description() {
        return "seasonal ARIMA (daily season) on log counts, order chosen by AIC, Hannan-Rissanen estimation";
    }

    @Override
    public ModelBuilder builder(TimeGrid grid, Map<String, ?> params, String path) {
        Params p = ParamBinder.bind(Params.class, Params.DEFAULTS, params, path);
        if (p.fitWindow().compareTo(Duration.ofDays(2)) < 0) throw new ConfigException(path + ".fitWindow", "must be >= 2d, got " + p.fitWindow());
        int window = (int) Math.min(8064, p.fitWindow().toNanos() / grid.nanos());
        int refit = Math.max(1, (int) (p.refitEvery().toNanos() / grid.nanos()));
        int reselect = Math.max(refit, (int) (p.reselectEvery().toNanos() / grid.nanos()));
        return series -> new Model(grid.perDay(), window, refit, reselect, p);
    }

    /** A chosen order with its coefficients. */
    record Fit(int d, int sd, double c, double[] ar, double[] ma, double sma, double aic) {
        int maxLag(int m) {
            return Math.max(ar.length + d + sd * m, Math.max(ma.length, sma != 0 ? m : 0)) + 1;
        }
    }

    static final class Model implements SeriesModel {
        private final int m, window, refitEvery, reselectEvery;
        private final Params p;
        private final History raw;     // log1p values, NaN at gaps: what the regressions see
        private History filled;  // gaps imputed by the one-step forecast: what the recursion uses
        private History eps;     // innovations
        private Fit fit;
        private int sinceFit, sinceSelect;
        private double lastZ;
        private double[] overlayZ = new double[0];
        private long overlayFrom;

        Model(int perDay, int window, int refitEvery, int reselectEvery, Params p) {
            m = perDay;
            this.window = Math.max(window, 2 * perDay + 1);
            this.refitEvery = refitEvery;
            this.reselectEvery = reselectEvery;
            this.p = p;
            raw = new History(this.window);
            filled = new History(this.window);
            eps = new History(this.window);
        }

        @Override
        public void update(long t, double value) {
            double v = Double.isNaN(value) ? Double.NaN : Math.log1p(Math.max(value, 0));
            raw.put(t, v);
            if (fit != null) {
                double zhat = oneStep(t, fit, filled, eps);
                filled.put(t, Double.isNaN(v) ? zhat : v);
                eps.put(t, Double.isNaN(v) ? 0 : v - zhat);
            } else {
                filled.put(t, Double.isNaN(v) ? lastZ : v);
                eps.put(t, 0);
            }
            if (!Double.isNaN(v)) lastZ = v;
            sinceFit++;
            sinceSelect++;
            if (fit == null ? raw.length() >= 2 * m + 1 : sinceFit >= refitEvery) refit(fit == null || sinceSelect >= reselectEvery);
        }

        @Override
        public void predict(long from, double[] out) {
            predict(from, out, null);
        }

        @Override
        public void predict(long from, double[] out, double[] logOut) {
            long last = filled.lastIndex();
            if (fit == null) {
                for (int i = 0; i < out.length; i++) {
                    long t = from + i;
                    double v = filled.get(t - m * ((t - last + m - 1) / m));
                    double z = Double.isNaN(v) ? lastZ : v;
                    out[i] = Math.max(0, Math.expm1(z));
                    if (logOut != null) logOut[i] = Math.max(0, z);
                }
                return;
            }
            int k = (int) (from + out.length - 1 - last);
            if (overlayZ.length < k) overlayZ = new double[Math.max(k, 16)];
            overlayFrom = last + 1;
            for (int i = 0; i < k; i++) {
                long t = last + 1 + i;
                overlayZ[i] = 0;  // not yet known while computing itself
                overlayZ[i] = oneStepFuture(t);
            }
            for (int i = 0; i < out.length; i++) {
                double z = overlayZ[(int) (from + i - overlayFrom)];
                out[i] = Math.max(0, Math.expm1(z));
                if (logOut != null) logOut[i] = Math.max(0, z);
            }
        }

        private double zAt(long t) {
            return t >= overlayFrom && t <= filled.lastIndex() + overlayZ.length && t > filled.lastIndex()
                    ? overlayZ[(int) (t - overlayFrom)] : filled.get(t);
        }

        private double oneStepFuture(long t) {
            Fit f = fit;
            double w = 0;
            for (int i = 0; i < f.ar.length; i++) w += f.ar[i] * diff(t - 1 - i, f, this::zAt);
            long last = filled.lastIndex();
            for (int j = 0; j < f.ma.length; j++) { long s = t - 1 - j; if (s <= last) w += f.ma[j] * nz(eps.get(s)); }
            if (f.sma != 0 && t - m <= last) w += f.sma * nz(eps.get(t - m));
            return w + base(t, f, this::zAt);
        }

        /** One-step forecast of z_t from the recursion's own history (t not yet stored). */
        private double oneStep(long t, Fit f, History z, History e) {
            double w = 0;
            for (int i = 0; i < f.ar.length; i++) w += f.ar[i] * diff(t - 1 - i, f, z::get);
            for (int j = 0; j < f.ma.length; j++) w += f.ma[j] * nz(e.get(t - 1 - j));
            if (f.sma != 0) w += f.sma * nz(e.get(t - m));
            double zhat = w + base(t, f, z::get);
            return Double.isNaN(zhat) ? lastZ : zhat;
        }

        private static double nz(double v) {
            return Double.isNaN(v) ? 0 : v;
        }

        /** The differenced (or, undifferenced, centred) value w_t = (1-B)^d (1-B^m)^D z_t - c. */
        private double diff(long t, Fit f, java.util.function.LongToDoubleFunction z) {
            return z.applyAsDouble(t) - base(t, f, z);
        }

        /** z_t - w_t: the part of z_t that the differencing takes from the past (the mean c when undifferenced). */
        private double base(long t, Fit f, java.util.function.LongToDoubleFunction z) {
            if (f.sd == 1 && f.d == 1) return z.applyAsDouble(t - m) + z.applyAsDouble(t - 1) - z.applyAsDouble(t - 1 - m);
            if (f.sd == 1) return z.applyAsDouble(t - m);
            if (f.d == 1) return z.applyAsDouble(t - 1);
            return f.c;
        }

        private void refit(boolean select) {
            sinceFit = 0;
            if (select) sinceSelect = 0;
            int n = raw.length();
            long start = raw.lastIndex() - n + 1;
            double[] x = new double[n];
            raw.copy(start, x);
            int sd = n >= 3 * m ? 1 : 0;
            if (fit != null && sd != fit.sd) select = true;  // enough data for the seasonal difference now: choose again
            Fit best = null;
            for (int d = 0; d <= 1; d++) {
                if (!select && (d != fit.d || sd != fit.sd)) continue;
                double[] w = difference(x, d, sd);
                double mu = d + sd == 0 ? centre(w) : 0;
                double[] e = longArResiduals(w);
                Moments all = select ? largestOrderMoments(w, e, sd) : null;
                for (int ap = 0; ap <= p.maxP(); ap++)
                    for (int aq = 0; aq <= p.maxQ(); aq++)
                        for (int sq = 0; sq <= (p.seasonalMa() && sd == 1 ? 1 : 0); sq++) {
                            if (!select && (ap != fit.ar.length || aq != fit.ma.length || sq != (fit.sma != 0 ? 1 : 0))) continue;
                            Fit f = all != null ? estimate(all.of(ap, aq, sq), all.rows, all.rss0, d, sd, ap, aq, sq, mu)
                                    : regress(w, e, d, sd, ap, aq, sq, mu);
                            if (f != null && (best == null || f.aic < best.aic)) best = f;
                        }
            }
            if (best == null) return;  // not enough clean rows: keep the previous model
            fit = best;
            if (System.getProperty("arima.debug") != null) System.err.println("arima fit " + best.d() + "," + best.sd() + " c=" + best.c() + " ar=" + java.util.Arrays.toString(best.ar()) + " ma=" + java.util.Arrays.toString(best.ma()) + " sma=" + best.sma() + " n=" + n);
            // replay the window with the new coefficients so the innovations match them
            rebuild(x, start);
        }

        /** Replays the window with the current coefficients so imputed values and innovations match them. */
        private void rebuild(double[] x, long start) {
            History z = new History(window);
            History e = new History(window);
            int warm = fit.maxLag(m);
            for (int i = 0; i < x.length; i++) {
                long t = start + i;
                double zhat = i > warm ? oneStep(t, fit, z, e) : Double.NaN;
                double v = x[i];
                double fz = !Double.isNaN(v) ? v : !Double.isNaN(zhat) ? zhat : lastFinite(z, t);
                z.put(t, fz);
                e.put(t, Double.isNaN(v) || Double.isNaN(zhat) ? 0 : v - zhat);
            }
            filled = z;
            eps = e;
        }

        private double lastFinite(History z, long t) {
            for (long s = t - 1; s >= t - m && s >= z.firstIndex(); s--) { double v = z.get(s); if (!Double.isNaN(v)) return v; }
            return lastZ;
        }

        private double[] difference(double[] x, int d, int sd) {
            double[] w = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double v = x[i];
                if (sd == 1) v = i >= m ? v - x[i - m] : Double.NaN;
                if (d == 1) {
                    double prev = i >= 1 ? x[i - 1] : Double.NaN;
                    if (sd == 1) prev = i >= m + 1 ? prev - x[i - 1 - m] : Double.NaN;
                    v = v - prev;
                }
                w[i] = v;
            }
            return w;
        }

        /** Residuals of a long autoregression (lags 1..L and the seasonal lags m, m+1): the innovation estimates. */
        private double[] longArResiduals(double[] w) {
            int l = 8;
            int[] lags = m > l + 1 ? new int[]{1, 2, 3, 4, 5, 6, 7, 8, m, m + 1} : new int[]{1, 2, 3, 4, 5, 6, 7, 8};
            int k = lags.length + 1;
            LeastSquares ls = new LeastSquares(k);
            double[] row = new double[k];
            int maxLag = lags[lags.length - 1];
            for (int t = maxLag; t < w.length; t++) if (fill(row, w, t, lags)) ls.add(row, w[t]);
            double[] e = new double[w.length];
            java.util.Arrays.fill(e, Double.NaN);
            if (ls.rows() < 3 * k) return e;
            double[] b = ls.solve(1e-6, 0);
            for (int t = maxLag; t < w.length; t++) {
                if (!fill(row, w, t, lags)) continue;
                double s = 0;
                for (int i = 0; i < k; i++) s += b[i] * row[i];
                e[t] = w[t] - s;
            }
            return e;
        }

        private static boolean fill(double[] row, double[] w, int t, int[] lags) {
            if (Double.isNaN(w[t])) return false;
            row[0] = 1;
            for (int i = 0; i < lags.length; i++) {
                double v = w[t - lags[i]];
                if (Double.isNaN(v)) return false;
                row[i + 1] = v;
            }
            return true;
        }

        /** Subtracts the mean of the finite values in place; returns it. */
        private static double centre(double[] w) {
            double s = 0;
            int c = 0;
            for (double v : w) if (!Double.isNaN(v)) { s += v; c++; }
            double mu = c == 0 ? 0 : s / c;
            for (int i = 0; i < w.length; i++) w[i] -= mu;
            return mu;
        }

        Fit regress(double[] w, double[] e, int d, int sd, int ap, int aq, int sq, double mu) {
            boolean intercept = false;  // undifferenced series are centred instead (mean mu)
            int k = (intercept ? 1 : 0) + ap + aq + sq;
            int start = 2 * m + 12;  // the same rows for every order, so their AICs compare
            if (w.length - start < 50) start = Math.max(ap, Math.max(aq, sq * m)) + 1 + (sd * m) + d;
            double[] row = new double[Math.max(k, 1)];
            LeastSquares ls = new LeastSquares(Math.max(k, 1));
            int rows = 0;
            double rss0 = 0;
            for (int t = start; t < w.length; t++) {
                if (Double.isNaN(w[t])) continue;
                int c = 0;
                boolean ok = true;
                if (intercept) row[c++] = 1;
                for (int i = 1; i <= ap && ok; i++) { double v = w[t - i]; ok = !Double.isNaN(v); row[c++] = v; }
                for (int j = 1; j <= aq && ok; j++) { double v = e[t - j]; ok = !Double.isNaN(v); row[c++] = v; }
                if (sq == 1 && ok) { double v = e[t - m]; ok = !Double.isNaN(v); row[c++] = v; }
                if (!ok) continue;
                if (k == 0) rss0 += w[t] * w[t];
                else ls.add(row, w[t]);
                rows++;
            }
            return estimate(k == 0 ? null : ls, rows, rss0, d, sd, ap, aq, sq, mu);
        }

        /**
         * The regression of every order on the same rows, when that is what {@link #regress} would use:
         * rows from the common start whose lags up to the largest order are all known (a window without
         * gaps). One pass accumulates X'X of the largest order; each order's is the sub-matrix of its
         * columns, the same sums in the same order as its own pass. Null when some row lacks a lag
         * (smaller orders would keep rows the largest drops) or the window is too short for a common start.
         */
        Moments largestOrderMoments(double[] w, double[] e, int sd) {
            int maxP = p.maxP(), maxQ = p.maxQ(), sq = p.seasonalMa() && sd == 1 ? 1 : 0;
            int start = 2 * m + 12;
            if (w.length - start < 50) return null;
            int k = maxP + maxQ + sq;
            double[] row = new double[Math.max(k, 1)];
            LeastSquares ls = new LeastSquares(Math.max(k, 1));
            int rows = 0;
            double rss0 = 0;
            for (int t = start; t < w.length; t++) {
                if (Double.isNaN(w[t])) continue;
                int c = 0;
                for (int i = 1; i <= maxP; i++) row[c++] = w[t - i];
                for (int j = 1; j <= maxQ; j++) row[c++] = e[t - j];
                if (sq == 1) row[c++] = e[t - m];
                for (int i = 0; i < c; i++) if (Double.isNaN(row[i])) return null;
                rss0 += w[t] * w[t];
                if (k > 0) ls.add(row, w[t]);
                rows++;
            }
            return new Moments(ls, rows, rss0, maxP, maxQ);
        }

        /** Moments of the largest order; {@link #of} picks an order's columns (AR lags, MA lags, seasonal MA). */
        record Moments(LeastSquares ls, int rows, double rss0, int maxP, int maxQ) {
            LeastSquares of(int ap, int aq, int sq) {
                int k = ap + aq + sq;
                if (k == 0) return null;
                int[] cols = new int[k];
                int c = 0;
                for (int i = 0; i < ap; i++) cols[c++] = i;
                for (int j = 0; j < aq; j++) cols[c++] = maxP + j;
                if (sq == 1) cols[c] = maxP + maxQ;
                return ls.subset(cols);
            }
        }

        /** Coefficients, stationarity/invertibility check and AIC from an order's moments ({@code ls} null when k = 0). */
        Fit estimate(LeastSquares ls, int rows, double rss0, int d, int sd, int ap, int aq, int sq, double mu) {
            int k = ap + aq + sq;
            if (rows < Math.max(30, 5 * k)) return null;
            double[] b = k == 0 ? new double[0] : ls.solve(1e-6, -1);   // no intercept: see regress
            double rss = k == 0 ? rss0 : ls.rss(b);
            int c = 0;
            double c0 = mu;
            double[] ar = new double[ap], ma = new double[aq];
            for (int i = 0; i < ap; i++) ar[i] = b[c++];
            for (int j = 0; j < aq; j++) ma[j] = b[c++];
            double sma = sq == 1 ? b[c] : 0;
            // keep only stationary, invertible fits (a sufficient condition): near-unit roots make the
            // AR and MA parts cancel in-sample and explode out of sample
            double arSum = 0, maSum = Math.abs(sma);
            for (double v : ar) arSum += Math.abs(v);
            for (double v : ma) maSum += Math.abs(v);
            if (arSum >= 0.98 || maSum >= 0.95) return null;
            double sigma2 = Math.max(rss / rows, 1e-12);
            double aic = Math.log(sigma2) + 2.0 * (k + 1) / rows;
            return new Fit(d, sd, c0, ar, ma, sma, aic);
        }

    }
}
