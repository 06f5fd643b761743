package io.prescale.forecasting.models;

import io.prescale.forecasting.ForecasterCatalog;
import io.prescale.forecasting.SeriesModel;
import io.prescale.forecasting.Synthetic;
import io.prescale.forecasting.TimeGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The log1p-scale forecasts models hand the ensemble equal log1p of their forecasts, tick after tick. */
class LogScaleForecastsTest {
    @Test
    void logForecastsAreLog1pOfTheForecasts(@TempDir Path dir) {
        TimeGrid grid = new TimeGrid(Synthetic.TEN_MIN);
        double[] y = Synthetic.noisySine(10, 0.1, 3);
        for (int i = 0; i < y.length; i++) if (i % 211 < 5) y[i] = Double.NaN;   // gaps
        for (String id : new String[]{"holt-winters", "arima", "prophet-style", "gbt", "seasonal-naive"}) {
            Map<String, ?> params = id.equals("gbt") ? Map.of("artifact", Synthetic.gbtFixture(dir).toString()) : Map.of();
            SeriesModel m = ForecasterCatalog.provider(id).builder(grid, params, "test").newModel("s");
            double[] out = new double[6], log = new double[6], plain = new double[6];
            for (int t = 0; t < y.length; t++) {
                m.update(t, y[t]);
                m.predict(t + 1, out, log);
                m.predict(t + 1, plain);
                assertThat(out).as("%s at %d: same forecasts either way", id, t).containsExactly(plain);
                for (int i = 0; i < out.length; i++)
                    assertThat(log[i]).as("%s at %d lead %d", id, t, i).isCloseTo(Math.log1p(out[i]), within(1e-12 * (1 + Math.log1p(out[i]))));
            }
        }
    }
}
