package io.prescale.forecasting.models;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.ParamBinder;
import io.prescale.forecasting.ForecasterProvider;
import io.prescale.forecasting.History;
import io.prescale.forecasting.ModelBuilder;
import io.prescale.forecasting.SeriesModel;
import io.prescale.forecasting.TimeGrid;

import java.time.Duration;
import java.util.Map;

/**
 * An LSTM (one layer, {@code hidden} units) + Linear head over the last {@code window} of normalised
 * log1p counts with time-of-day and day-of-week features ({@link LstmFeatures}), predicting the next
 * {@code leads} intervals directly; longer horizons feed its own forecasts back in. Trained per series
 * on its own history with DJL's PyTorch engine on CPU ({@link LstmTrainer}): first once
 * {@code minHistory} of data is in, then every {@code refitEvery}, continuing from the previous
 * weights with fewer epochs. Inference runs in plain Java on the exported weights ({@link LstmNet}).
 * Before the first fit it forecasts "same time yesterday, else the last value", like Holt-Winters.
 */
public final class LstmForecaster implements ForecasterProvider {

    public record Params(Duration window, Duration fitWindow, Duration refitEvery, Duration minHistory, int hidden, int leads,
                         int epochs, int refitEpochs, int batchSize, double learningRate, int seed, int maxFitPoints) {
        public static final Params DEFAULTS = new Params(Duration.ofHours(4), Duration.ofDays(14), Duration.ofDays(1), Duration.ofDays(2),
                32, 6, 8, 3, 32, 0.01, 42, 4032);

        public Params {
            if (hidden < 1 || hidden > 512) throw new IllegalArgumentException("hidden must be in 1..512, got " + hidden);
            if (leads < 1 || leads > 288) throw new IllegalArgumentException("leads must be in 1..288, got " + leads);
            if (epochs < 1 || refitEpochs < 1) throw new IllegalArgumentException("epochs and refitEpochs must be >= 1");
            if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1");
            if (!(learningRate > 0 && learningRate < 1)) throw new IllegalArgumentException("learningRate must be in (0, 1), got " + learningRate);
            if (maxFitPoints < 100) throw new IllegalArgumentException("maxFitPoints must be >= 100");
        }
    }

    @Override
    public String id() {
        return "lstm";
    }

    @Override
    public String description() {
        return "LSTM + linear head on log1p counts with calendar features, trained per series with DJL PyTorch (CPU), refit daily";
    }

    @Override
    public ModelBuilder builder(TimeGrid grid, Map<String, ?> params, String path) {
        Params p = ParamBinder.bind(Params.class, Params.DEFAULTS, params, path);
        int window = steps(grid, p.window(), path + ".window", 2, 288);
        int fitWindow = Math.min(p.maxFitPoints(), steps(grid, p.fitWindow(), path + ".fitWindow", 1, Integer.MAX_VALUE));
        int refit = steps(grid, p.refitEvery(), path + ".refitEvery", 1, Integer.MAX_VALUE);
        int minHistory = steps(grid, p.minHistory(), path + ".minHistory", 1, Integer.MAX_VALUE);
        if (fitWindow < window + p.leads() + 1)
            throw new ConfigException(path + ".fitWindow", "must hold window + leads + 1 intervals (" + (window + p.leads() + 1) + "), got " + fitWindow);
        LstmTrainer.Settings s = new LstmTrainer.Settings(p.hidden(), p.epochs(), p.batchSize(), (float) p.learningRate(), p.seed());
        Model.Config cfg = new Model.Config(grid, window, p.leads(), fitWindow, refit, Math.max(minHistory, window + p.leads() + 1),
                s, p.refitEpochs());
        return series -> new Model(cfg);
    }

    private static int steps(TimeGrid grid, Duration d, String path, int min, int max) {
        if (d.isNegative() || d.isZero()) throw new ConfigException(path, "must be > 0, got " + d);
        int n = grid.steps(d);
        if (n < min || n > max) throw new ConfigException(path, "must span " + min + ".." + max + " intervals, got " + n);
        return n;
    }

    /** Runtime model of one series. */
    static final class Model implements SeriesModel {
        record Config(TimeGrid grid, int window, int leads, int fitWindow, int refitEvery, int minHistory,
                      LstmTrainer.Settings training, int refitEpochs) {}

        private final Config cfg;
        private final History z;
        private final int perDay;
        private LstmNet net;
        private LstmFeatures features;
        private double lastZ;
        private int sinceFit;

        Model(Config cfg) {
            this.cfg = cfg;
            this.perDay = cfg.grid().perDay();
            z = new History(Math.max(cfg.fitWindow(), perDay + 1));
        }

        @Override
        public void update(long index, double value) {
            double v = Double.isNaN(value) ? Double.NaN : Math.log1p(Math.max(value, 0));
            z.put(index, v);
            if (!Double.isNaN(v)) lastZ = v;
            sinceFit++;
            if ((net == null && z.length() >= cfg.minHistory() && sinceFit >= Math.min(cfg.refitEvery(), cfg.minHistory()))
                    || (net != null && sinceFit >= cfg.refitEvery())) refit();
        }

        @Override
        public void predict(long from, double[] out) {
            long last = z.lastIndex();
            if (net == null) {
                for (int i = 0; i < out.length; i++) {
                    long t = from + i;
                    double v = z.get(t - perDay * ((t - last + perDay - 1) / perDay));
                    out[i] = Math.max(0, Math.expm1(Double.isNaN(v) ? lastZ : v));
                }
                return;
            }
            int w = cfg.window(), leads = cfg.leads();
            int ahead = (int) (from - last - 1) + out.length;  // intervals to produce after `last`
            double[] path = new double[w + ahead];              // log1p values, observed then forecast
            for (int i = 0; i < w; i++) path[i] = z.get(last - w + 1 + i);
            float[][] x = new float[w][LstmFeatures.SIZE];
            double[] y = new double[leads];
            for (int done = 0; done < ahead; done += leads) {
                long end = last + done;  // last interval of this input window
                for (int i = 0; i < w; i++) features.encode(end - w + 1 + i, path[done + i], x[i]);
                net.forward(x, y);
                for (int k = 0; k < leads && done + k < ahead; k++) path[w + done + k] = features.denormalise(y[k]);
            }
            for (int i = 0; i < out.length; i++) out[i] = Math.max(0, Math.expm1(path[w + (int) (from - last - 1) + i]));
        }

        private void refit() {
            sinceFit = 0;
            int n = z.length();
            long start = z.lastIndex() - n + 1;
            double[] v = new double[n];
            z.copy(start, v);
            LstmFeatures f = LstmFeatures.fit(cfg.grid(), v);
            LstmTrainer.Samples s = samples(v, start, f);
            if (s == null) return;  // too little unmasked data: keep the previous net (or the fallback)
            LstmTrainer.Settings t = cfg.training();
            if (net != null) t = new LstmTrainer.Settings(t.hidden(), cfg.refitEpochs(), t.batchSize(), t.learningRate(), t.seed());
            net = LstmTrainer.train(s, net, t);
            features = f;
        }

        /** Every window whose targets are all observed and whose inputs are at least half observed; null if under 32. */
        private LstmTrainer.Samples samples(double[] v, long start, LstmFeatures f) {
            int w = cfg.window(), leads = cfg.leads(), F = LstmFeatures.SIZE;
            int max = v.length - w - leads + 1;
            if (max <= 0) return null;
            float[] x = new float[max * w * F], y = new float[max * leads];
            float[] enc = new float[F];
            int n = 0;
            for (int e = w - 1; e + leads < v.length; e++) {
                boolean ok = true;
                for (int k = 1; k <= leads && ok; k++) ok = !Double.isNaN(v[e + k]);
                int masked = 0;
                for (int i = e - w + 1; i <= e; i++) if (Double.isNaN(v[i])) masked++;
                if (!ok || 2 * masked > w) continue;
                for (int i = 0; i < w; i++) {
                    int j = e - w + 1 + i;
                    f.encode(start + j, v[j], enc);
                    System.arraycopy(enc, 0, x, (n * w + i) * F, F);
                }
                for (int k = 0; k < leads; k++) y[n * leads + k] = (float) f.normalise(v[e + 1 + k]);
                n++;
            }
            if (n < 32) return null;
            return new LstmTrainer.Samples(n, w, F, leads, java.util.Arrays.copyOf(x, n * w * F), java.util.Arrays.copyOf(y, n * leads));
        }
    }
}
