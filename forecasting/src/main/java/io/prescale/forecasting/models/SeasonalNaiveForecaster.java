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
 * Seasonal naive: the value one season ago (1 day by default, or 1 week). The baseline every MASE is
 * scaled by. A masked value one season back falls back to two seasons back, then to the last value seen.
 */
public final class SeasonalNaiveForecaster implements ForecasterProvider {

    public record Params(Duration season) {
        public static final Params DEFAULTS = new Params(Duration.ofDays(1));
    }

    @Override
    public String id() {
        return "seasonal-naive";
    }

    @Override
    public String description() {
        return "value one season ago (season: 1d default, or 1w)";
    }

    @Override
    public ModelBuilder builder(TimeGrid grid, Map<String, ?> params, String path) {
        Params p = ParamBinder.bind(Params.class, Params.DEFAULTS, params, path);
        if (p.season().toNanos() % grid.nanos() != 0 || p.season().compareTo(grid.interval()) < 0)
            throw new ConfigException(path + ".season", "season must be a multiple of the interval " + grid.interval() + ", got " + p.season());
        int m = (int) (p.season().toNanos() / grid.nanos());
        return series -> new Model(m);
    }

    static final class Model implements SeriesModel {
        private final int m;
        private final History h;
        private double lastValue = 0;

        Model(int season) {
            m = season;
            h = new History(2 * season + 1);
        }

        @Override
        public void update(long index, double value) {
            h.put(index, value);
            if (!Double.isNaN(value)) lastValue = value;
        }

        @Override
        public void predict(long from, double[] out) {
            long last = h.lastIndex();
            for (int i = 0; i < out.length; i++) {
                long t = from + i;
                long back = t - m * ((t - last + m - 1) / m);  // latest same-phase index already observed
                double v = h.get(back);
                if (Double.isNaN(v)) v = h.get(back - m);
                out[i] = Double.isNaN(v) ? lastValue : v;
            }
        }
    }
}
