package io.prescale.forecasting.models;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.ParamBinder;
import io.prescale.forecasting.ForecasterProvider;
import io.prescale.forecasting.History;
import io.prescale.forecasting.ModelBuilder;
import io.prescale.forecasting.SeriesModel;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.artifact.Artifacts;
import io.prescale.forecasting.artifact.GbtArtifact;
import io.prescale.forecasting.events.EventCalendar;

import java.nio.file.Path;
import java.util.Map;

/**
 * Gradient-boosted trees on lag, rolling, calendar and event features: one global model for all
 * series, trained offline by Spark MLlib ({@code prescale forecast train}) and evaluated here from its
 * artifact without Spark. Direct multi-step: the lead is a feature, so each step is one ensemble pass.
 * Leads beyond the artifact's {@code maxSteps} reuse the last trained lead as the lead feature; every other
 * feature is that of the interval being forecast.
 */
public final class GbtForecaster implements ForecasterProvider {

    public record Params(String artifact, String events, String holidays) {
        public static final Params DEFAULTS = new Params("", "", "none");
    }

    @Override
    public String id() {
        return "gbt";
    }

    @Override
    public String description() {
        return "global gradient-boosted trees (Spark MLlib) on lag/rolling/calendar/event features; needs params.artifact";
    }

    @Override
    public ModelBuilder builder(TimeGrid grid, Map<String, ?> params, String path) {
        Params p = ParamBinder.bind(Params.class, Params.DEFAULTS, params, path);
        if (p.artifact().isBlank())
            throw new ConfigException(path + ".artifact", "gbt needs a trained artifact (prescale forecast train --out DIR, then artifact: DIR/gbt-....json)");
        GbtArtifact a;
        try {
            a = Artifacts.readGbt(Path.of(p.artifact()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ".artifact", e.getMessage());
        }
        if (!a.interval().equals(grid.interval()))
            throw new ConfigException(path + ".artifact", Artifacts.intervalMismatch(p.artifact(), a.interval(), grid.interval()));
        if (a.featureVersion() != GbtFeatures.VERSION || !a.features().equals(GbtFeatures.NAMES))
            throw new ConfigException(path + ".artifact", p.artifact() + ": artifact features (v" + a.featureVersion() + ") do not match this build's (v" + GbtFeatures.VERSION + ")");
        EventCalendar cal = EventParams.calendar(p.events(), p.holidays(), path);
        TreeEnsemble trees;
        try {
            trees = new TreeEnsemble(a.trees(), GbtFeatures.NAMES.size());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ".artifact", p.artifact() + ": " + e.getMessage());
        }
        GbtFeatures features = new GbtFeatures(grid, cal);
        return series -> new Model(features, trees, a.maxSteps());
    }

    /** Runtime model of one series; also used by the Spark parity test. */
    public static final class Model implements SeriesModel {
        private final GbtFeatures features;
        private final TreeEnsemble trees;
        private final int maxSteps;
        private final History z;
        private final double[] x;
        private double[][] rows = new double[0][];   // one feature row per lead, reused
        private double[] sums = new double[0];

        public Model(GbtFeatures features, TreeEnsemble trees, int maxSteps) {
            this.features = features;
            this.trees = trees;
            this.maxSteps = Math.max(1, maxSteps);
            z = new History(features.historyNeeded());
            x = new double[features.size()];
        }

        @Override
        public void update(long index, double value) {
            z.put(index, Double.isNaN(value) ? Double.NaN : Math.log1p(Math.max(value, 0)));
        }

        @Override
        public void predict(long from, double[] out) {
            predict(from, out, null);
        }

        @Override
        public void predict(long from, double[] out, double[] logOut) {
            long t = z.lastIndex();
            double level = features.level(z, t);
            if (Double.isNaN(level)) {
                java.util.Arrays.fill(out, 0);
                if (logOut != null) java.util.Arrays.fill(logOut, 0);
                return;
            }
            if (rows.length < out.length) {
                rows = new double[out.length][features.size()];
                sums = new double[out.length];
            }
            features.fillOrigin(z, t, level, x);   // lags and rolling stats are the same for every lead
            for (int i = 0; i < out.length; i++) {
                System.arraycopy(x, 0, rows[i], 0, x.length);
                int lead = (int) (from + i - t);
                features.fillLead(z, t, lead, level, rows[i]);
                // past the trained leads only the lead feature is capped: time of day, weekday, events and the
                // seasonal lags stay those of the interval forecast (capping the target repeated one interval's forecast)
                rows[i][0] = Math.min(lead, maxSteps);
            }
            trees.predict(rows, out.length, sums);   // all leads at once: the walks overlap
            for (int i = 0; i < out.length; i++) {
                double v = level + sums[i];
                out[i] = Math.max(0, Math.expm1(v));
                if (logOut != null) logOut[i] = Math.max(0, v);
            }
        }
    }
}
