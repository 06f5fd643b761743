package io.prescale.forecasting.models;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Order selection from the largest order's moments against one regression pass per order. */
class ArimaOrderSelectionTest {
    private static final int M = 144;

    @Test
    void everyOrderFromSharedMomentsEqualsItsOwnRegressionExactly() {
        ArimaForecaster.Model model = new ArimaForecaster.Model(M, 7 * M, M, 7 * M, ArimaForecaster.Params.DEFAULTS);
        Random r = new Random(4);
        double[] w = new double[7 * M], e = new double[7 * M];
        for (int t = 0; t < w.length; t++) {
            e[t] = t < M + 1 ? Double.NaN : 0.1 * r.nextGaussian();   // the long AR leaves its first lags unknown
            w[t] = (t > 0 ? 0.5 * w[t - 1] : 0) + 0.1 * r.nextGaussian() + (t > 0 && !Double.isNaN(e[t - 1]) ? 0.3 * e[t - 1] : 0);
        }
        for (int sd = 0; sd <= 1; sd++) {
            ArimaForecaster.Model.Moments all = model.largestOrderMoments(w, e, sd);
            assertThat(all).isNotNull();
            int fits = 0;
            for (int ap = 0; ap <= 3; ap++)
                for (int aq = 0; aq <= 2; aq++)
                    for (int sq = 0; sq <= sd; sq++) {
                        ArimaForecaster.Fit own = model.regress(w, e, 0, sd, ap, aq, sq, 0.25);
                        ArimaForecaster.Fit shared = model.estimate(all.of(ap, aq, sq), all.rows(), all.rss0(), 0, sd, ap, aq, sq, 0.25);
                        if (own == null) {
                            assertThat(shared).as("order %d,%d,%d", ap, aq, sq).isNull();
                            continue;
                        }
                        assertThat(shared.ar()).containsExactly(own.ar());
                        assertThat(shared.ma()).containsExactly(own.ma());
                        assertThat(shared.sma()).isEqualTo(own.sma());
                        assertThat(shared.aic()).as("order %d,%d,%d", ap, aq, sq).isEqualTo(own.aic());
                        fits++;
                    }
            assertThat(fits).isGreaterThan(8);
        }
    }

    @Test
    void aGapInTheLagsFallsBackToOneRegressionPerOrder() {
        ArimaForecaster.Model model = new ArimaForecaster.Model(M, 7 * M, M, 7 * M, ArimaForecaster.Params.DEFAULTS);
        double[] w = new double[7 * M], e = new double[7 * M];
        for (int t = 0; t < w.length; t++) { w[t] = Math.sin(t); e[t] = Math.cos(t); }
        w[500] = Double.NaN;   // a row whose AR lags reach it keeps it for small orders only
        assertThat(model.largestOrderMoments(w, e, 1)).isNull();
    }
}
