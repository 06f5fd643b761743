package io.prescale.forecasting;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConformalCalibratorTest {

    @Test
    void quantilesAddTheEmpiricalLogResidualQuantiles() {
        // 19 log residuals 0.01 .. 0.19 against a point forecast of 100
        ConformalCalibrator c = new ConformalCalibrator(1, 100, 10);
        for (int i = 1; i <= 19; i++) c.record(0, 100, Math.expm1(Math.log1p(100) + i / 100.0));
        double[] q = new double[3];
        c.quantiles(0, 100, q);
        // n = 19: P50 = rank ceil(20 * 0.5) = 10th smallest = 0.10. The P90 level adapts (ACI, step 0.005):
        // residuals 11..19 each arrived above the running P90, so it rose 9 times by 0.005 * (1 - 0.1):
        // 0.9 + 0.0405 = 0.9405 -> rank ceil(20 * 0.9405) = 19 -> 0.19
        assertThat(Math.log1p(q[0]) - Math.log1p(100)).isCloseTo(0.10, within(1e-9));
        assertThat(Math.log1p(q[1]) - Math.log1p(100)).isCloseTo(0.19, within(1e-9));
        assertThat(q[2]).isGreaterThanOrEqualTo(q[1]);
    }

    @Test
    void tooFewResidualsGiveAPoissonLikeBand() {
        ConformalCalibrator c = new ConformalCalibrator(2, 100, 24);
        double[] q = new double[3];
        c.quantiles(0, 100, q);
        // sqrt(100) = 10: P90 = 100 + 1.2816 * 10, P95 = 100 + 1.6449 * 10
        assertThat(q).containsExactly(new double[]{100, 112.816, 116.449}, within(1e-9));
    }

    @Test
    void slidingWindowForgetsOldResiduals() {
        ConformalCalibrator c = new ConformalCalibrator(1, 10, 2);
        for (int i = 0; i < 10; i++) c.record(0, 100, 1000);  // huge errors first
        for (int i = 0; i < 10; i++) c.record(0, 100, 100);   // then exact forecasts push them out
        double[] q = new double[3];
        c.quantiles(0, 100, q);
        assertThat(q[1]).isCloseTo(100, within(1e-9));
        assertThat(c.residuals(0)).isEqualTo(10);
    }
}
