package io.prescale.forecasting.models;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.ParamBinder;
import io.prescale.forecasting.ForecasterCatalog;
import io.prescale.forecasting.ForecasterProvider;
import io.prescale.forecasting.ModelBuilder;
import io.prescale.forecasting.SeriesModel;
import io.prescale.forecasting.TimeGrid;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per-series ensemble: runs its member models side by side, scores each one's forecasts for the next
 * {@code steps} intervals against the actuals as they arrive (exponentially weighted absolute log
 * error, half-life {@code errorHalfLife}), and either picks the member with the lowest rolling error
 * ({@code mode: pick}) or weights members by inverse squared error ({@code mode: weight}).
 */
public final class EnsembleForecaster implements ForecasterProvider {

    public record Params(List<String> members, String mode, int steps, Duration errorHalfLife, String gbtArtifact) {
        public static final Params DEFAULTS = new Params(List.of("seasonal-naive", "holt-winters", "arima", "prophet-style"),
                "weight", 6, Duration.ofHours(12), "");

        public Params {
            if (!List.of("pick", "weight").contains(mode)) throw new IllegalArgumentException("mode must be pick or weight, got " + mode);
            if (steps < 1 || steps > 100) throw new IllegalArgumentException("steps must be in 1..100");
            if (members.isEmpty()) throw new IllegalArgumentException("members must not be empty");
        }
    }

    @Override
    public String id() {
        return "ensemble";
    }

    @Override
    public String description() {
        return "per-series pick or inverse-error weighting of member forecasters by rolling error";
    }

    @Override
    public ModelBuilder builder(TimeGrid grid, Map<String, ?> params, String path) {
        Params p = ParamBinder.bind(Params.class, Params.DEFAULTS, params, path);
        List<String> ids = new ArrayList<>(p.members());
        if (!p.gbtArtifact().isBlank() && !ids.contains("gbt")) ids.add("gbt");
        List<ModelBuilder> builders = new ArrayList<>();
        for (String id : ids) {
            if (id.equals(id())) throw new ConfigException(path + ".members", "an ensemble cannot contain itself");
            ForecasterProvider provider;
            try {
                provider = ForecasterCatalog.provider(id);
            } catch (ConfigException e) {
                throw new ConfigException(path + ".members", e.getMessage());
            }
            Map<String, ?> own = id.equals("gbt") ? Map.of("artifact", p.gbtArtifact()) : Map.of();
            builders.add(provider.builder(grid, own, path + ".members." + id));
        }
        double decay = Math.pow(0.5, grid.nanos() / (double) p.errorHalfLife().toNanos());
        return series -> {
            SeriesModel[] models = new SeriesModel[builders.size()];
            for (int i = 0; i < models.length; i++) models[i] = builders.get(i).newModel(series);
            return new Model(models, p.steps(), decay, p.mode().equals("pick"));
        };
    }

    static final class Model implements SeriesModel {
        private final SeriesModel[] members;
        private final int steps;
        private final double decay;
        private final boolean pick;
        private final double[][][] issued;   // [member][origin slot][step]
        private final double[][][] issuedLog;   // the same on the log1p scale, what the errors are measured on
        private final long[] issuedOrigin;
        private final double[] err, errWeight;
        private long last = Long.MIN_VALUE;
        private double[] tmp = new double[0];

        Model(SeriesModel[] members, int steps, double decay, boolean pick) {
            this.members = members;
            this.steps = steps;
            this.decay = decay;
            this.pick = pick;
            issued = new double[members.length][steps][steps];
            issuedLog = new double[members.length][steps][steps];
            issuedOrigin = new long[steps];
            java.util.Arrays.fill(issuedOrigin, Long.MIN_VALUE);
            err = new double[members.length];
            errWeight = new double[members.length];
        }

        @Override
        public void update(long index, double value) {
            if (!Double.isNaN(value)) {
                double y = Math.log1p(Math.max(value, 0));
                for (int k = 0; k < steps; k++) {
                    long o = index - k;
                    int slot = (int) Math.floorMod(o, (long) steps);
                    if (issuedOrigin[slot] != o) continue;
                    for (int i = 0; i < members.length; i++) {
                        double e = Math.abs(y - issuedLog[i][slot][k]);
                        err[i] = decay * err[i] + (1 - decay) * e;
                        errWeight[i] = decay * errWeight[i] + (1 - decay);
                    }
                }
            }
            int slot = (int) Math.floorMod(index + 1, (long) steps);
            for (int i = 0; i < members.length; i++) {
                members[i].update(index, value);
                members[i].predict(index + 1, issued[i][slot], issuedLog[i][slot]);
            }
            issuedOrigin[slot] = index + 1;
            last = index;
        }

        @Override
        public void predict(long from, double[] out) {
            int slot = (int) Math.floorMod(last + 1, (long) steps);
            boolean cached = from == last + 1 && out.length <= steps && issuedOrigin[slot] == last + 1;
            double[] w = weights();
            java.util.Arrays.fill(out, 0);
            for (int i = 0; i < members.length; i++) {
                if (w[i] == 0) continue;
                double[] f;
                if (cached) f = issued[i][slot];
                else {
                    if (tmp.length != out.length) tmp = new double[out.length];
                    members[i].predict(from, tmp);
                    f = tmp;
                }
                for (int k = 0; k < out.length; k++) out[k] += w[i] * f[k];
            }
        }

        /** Member weights from their rolling errors; equal until any error has been measured. */
        double[] weights() {
            double[] w = new double[members.length];
            boolean measured = false;
            for (int i = 0; i < members.length; i++) measured |= errWeight[i] > 0;
            if (!measured) {
                java.util.Arrays.fill(w, 1.0 / members.length);
                return w;
            }
            if (pick) {
                int best = 0;
                for (int i = 1; i < members.length; i++) if (mean(i) < mean(best)) best = i;
                w[best] = 1;
                return w;
            }
            double s = 0;
            for (int i = 0; i < members.length; i++) { double e = Math.max(mean(i), 1e-6); w[i] = 1 / (e * e); s += w[i]; }
            for (int i = 0; i < members.length; i++) w[i] /= s;
            return w;
        }

        private double mean(int i) {
            return errWeight[i] == 0 ? Double.MAX_VALUE : err[i] / errWeight[i];
        }
    }
}
