package io.prescale.policies.predictive;

import io.prescale.core.forecast.Forecast;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The growth lent to the anchored level is what the forecast is sure of, not its median's wobble. */
class DemandEstimateTest {

    static Forecast fc(double[] p50, double[] p90) {
        return new Forecast("m", Instant.EPOCH, Duration.ofMinutes(10), p50.clone(), p50, p90, p90.clone());
    }

    @Test
    void growthIsTheLowerBandOfLaterStepsOverTheFirstMedian() {
        // next step: median 120, p90 150 -> lower band 2 x 120 - 150 = 90 < 100: a rise inside the noise, no growth
        assertThat(DemandEstimate.growth(fc(new double[]{100, 120}, new double[]{130, 150}))).isEqualTo(1.0);
        // a tight band: 2 x 120 - 125 = 115 -> 1.15
        assertThat(DemandEstimate.growth(fc(new double[]{100, 120}, new double[]{130, 125}))).isCloseTo(1.15, within(1e-12));
        // the largest over the steps: 2 x 110 - 115 = 105, 2 x 140 - 150 = 130 -> 1.30
        assertThat(DemandEstimate.growth(fc(new double[]{100, 110, 140}, new double[]{120, 115, 150}))).isCloseTo(1.30, within(1e-12));
        // a fall never lowers it; one step has nothing to grow to
        assertThat(DemandEstimate.growth(fc(new double[]{100, 60}, new double[]{110, 65}))).isEqualTo(1.0);
        assertThat(DemandEstimate.growth(fc(new double[]{100}, new double[]{130}))).isEqualTo(1.0);
        // no median to start from: no growth estimate
        assertThat(DemandEstimate.growth(fc(new double[]{0, 50}, new double[]{10, 60}))).isNaN();
        assertThat(DemandEstimate.growth(null)).isNaN();
    }
}
