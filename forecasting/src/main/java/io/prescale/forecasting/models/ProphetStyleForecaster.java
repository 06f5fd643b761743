package io.prescale.forecasting.models;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.ParamBinder;
import io.prescale.forecasting.ForecasterProvider;
import io.prescale.forecasting.History;
import io.prescale.forecasting.ModelBuilder;
import io.prescale.forecasting.SeriesModel;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.artifact.Artifacts;
import io.prescale.forecasting.artifact.ProphetArtifact;
import io.prescale.forecasting.events.EventCalendar;
import io.prescale.forecasting.fit.LeastSquares;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Prophet-style decomposable regression on log1p counts: piecewise-linear trend with changepoints,
 * Fourier terms of the day and week, a holiday flag and event flags ({@link ProphetFeatures}). At run
 * time it refits a ridge regression over the recent window once per {@code refitEvery}; with
 * {@code artifact} it evaluates the elastic-net coefficients trained by Spark instead (series missing
 * from the artifact fall back to the runtime fit). An event never seen in the fit window uses the
 * calendar's stated effect (log multiplier) when it gives one.
 */
public final class ProphetStyleForecaster implements ForecasterProvider {

    public record Params(Duration fitWindow, Duration refitEvery, int changepoints, int dailyOrder, int weeklyOrder,
                         double ridge, String events, String holidays, String artifact) {
        public static final Params DEFAULTS = new Params(Duration.ofDays(28), Duration.ofDays(1), 8, 8, 3, 1.0, "", "none", "");

        public Params {
            if (changepoints < 0 || changepoints > 50) throw new IllegalArgumentException("changepoints must be in 0..50");
            if (dailyOrder < 0 || dailyOrder > 20 || weeklyOrder < 0 || weeklyOrder > 10) throw new IllegalArgumentException("Fourier orders: daily 0..20, weekly 0..10");
            if (!(ridge >= 0)) throw new IllegalArgumentException("ridge must be >= 0");
        }
    }

    @Override
    public String id() {
        return "prophet-style";
    }

    @Override
    public String description() {
        return "piecewise-linear trend + daily/weekly Fourier + holiday/event regressors, ridge fit (or Spark elastic-net artifact)";
    }

    @Override
    public ModelBuilder builder(TimeGrid grid, Map<String, ?> params, String path) {
        Params p = ParamBinder.bind(Params.class, Params.DEFAULTS, params, path);
        if (p.fitWindow().compareTo(Duration.ofDays(2)) < 0) throw new ConfigException(path + ".fitWindow", "must be >= 2d");
        EventCalendar cal = EventParams.calendar(p.events(), p.holidays(), path);
        ProphetArtifact art = null;
        if (!p.artifact().isBlank()) {
            try {
                art = Artifacts.readProphet(Path.of(p.artifact()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path + ".artifact", e.getMessage());
            }
            if (!art.interval().equals(grid.interval()))
                throw new ConfigException(path + ".artifact", Artifacts.intervalMismatch(p.artifact(), art.interval(), grid.interval()));
        }
        int window = (int) (p.fitWindow().toNanos() / grid.nanos());
        int refit = Math.max(1, (int) (p.refitEvery().toNanos() / grid.nanos()));
        Map<String, ProphetFeatures> trained = art == null ? Map.of() : trainedFeatures(art, grid, cal, p.artifact(), path);
        ProphetArtifact a = art;
        return series -> {
            Model m = new Model(grid, window, refit, p, cal);
            ProphetFeatures f = trained.get(series);
            if (f != null) m.useArtifact(f, a.series().get(series).coefficients());
            return m;
        };
    }

    /**
     * Every series of the artifact checked against the runtime's design now, when the forecaster is built (a mismatch
     * found at a series' first observation surfaced in the middle of a run): same features, one coefficient each.
     */
    private static Map<String, ProphetFeatures> trainedFeatures(ProphetArtifact art, TimeGrid grid, EventCalendar cal, String file, String path) {
        Map<String, ProphetFeatures> out = new java.util.HashMap<>();
        art.series().forEach((name, s) -> {
            ProphetFeatures f = new ProphetFeatures(grid, grid.index(s.origin()), s.changepointDays(), s.dailyOrder(), s.weeklyOrder(), cal);
            if (!f.names().equals(s.features()))
                throw new ConfigException(path + ".artifact", file + ": series " + name + ": artifact features " + s.features()
                        + " differ from the runtime's " + f.names() + " (same events calendar?)");
            if (s.coefficients().length != f.size())
                throw new ConfigException(path + ".artifact", file + ": series " + name + ": " + s.coefficients().length
                        + " coefficients for " + f.size() + " features");
            out.put(name, f);
        });
        return out;
    }

    static final class Model implements SeriesModel {
        private static final int MAX_ROWS = 4032;
        private final TimeGrid grid;
        private final int refitEvery;
        private final Params p;
        private final EventCalendar cal;
        private final History z;
        private ProphetDesign design;
        private double[] coef;
        private double[] x;
        private boolean fromArtifact;
        private int sinceFit;
        private double lastZ;

        Model(TimeGrid grid, int window, int refitEvery, Params p, EventCalendar cal) {
            this.grid = grid;
            this.refitEvery = refitEvery;
            this.p = p;
            this.cal = cal;
            z = new History(Math.max(window, 2 * grid.perDay()));
        }

        void useArtifact(ProphetFeatures f, double[] coefficients) {
            design = new ProphetDesign(f);
            coef = coefficients.clone();
            x = new double[f.size()];
            fromArtifact = true;
        }

        @Override
        public void update(long index, double value) {
            double v = Double.isNaN(value) ? Double.NaN : Math.log1p(Math.max(value, 0));
            z.put(index, v);
            if (!Double.isNaN(v)) lastZ = v;
            if (fromArtifact) return;
            sinceFit++;
            if ((coef == null && z.length() >= 2 * grid.perDay()) || (coef != null && sinceFit >= refitEvery)) refit();
        }

        @Override
        public void predict(long from, double[] out) {
            predict(from, out, null);
        }

        @Override
        public void predict(long from, double[] out, double[] logOut) {
            for (int i = 0; i < out.length; i++) {
                long t = from + i;
                double v;
                if (coef == null) {
                    long last = z.lastIndex();
                    int m = grid.perDay();
                    v = z.get(t - m * ((t - last + m - 1) / m));
                    if (Double.isNaN(v)) v = lastZ;
                } else {
                    design.fill(t, x);
                    v = 0;
                    for (int k = 0; k < coef.length; k++) v += coef[k] * x[k];
                }
                out[i] = Math.max(0, Math.expm1(v));
                if (logOut != null) logOut[i] = Math.max(0, v);
            }
        }

        private void refit() {
            sinceFit = 0;
            int n = z.length();
            long start = z.lastIndex() - n + 1;
            double days = n / (double) grid.perDay();
            int weekly = days >= 7 ? p.weeklyOrder() : 0;
            ProphetFeatures f = new ProphetFeatures(grid, start, ProphetFeatures.evenChangepoints(p.changepoints(), days), p.dailyOrder(), weekly, cal);
            ProphetDesign d = new ProphetDesign(f);
            d.inheritCache(design);
            boolean[] seen = new boolean[cal.names().size()];
            int stride = Math.max(1, (n + MAX_ROWS - 1) / MAX_ROWS);
            LeastSquares ls = d.normalEquations(z, start, n, stride, seen);
            if (ls.rows() < f.size()) return;
            double[] b = ls.solve(p.ridge(), 0);
            for (int e = 0; e < seen.length; e++) {
                if (seen[e]) continue;
                var stated = cal.statedEffect(cal.names().get(e));
                b[f.eventOffset() + e] = stated.isPresent() ? Math.log(stated.getAsDouble()) : 0;
            }
            design = d;
            coef = b;
            x = new double[f.size()];
        }
    }
}
