package io.prescale.policies.predictive;

import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.ModelObservation;
import io.prescale.policies.PolicyFixtures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SloFeedbackTest {
    private static final ModelSpec SPEC = PolicyFixtures.spec("m", 8, 10); // SLO target 0.99

    private static ModelObservation tick(long arrivals, double slo) {
        return new ModelObservation(SPEC, arrivals, 0, 0, 0, 0.5, Double.NaN, slo, 1, 0, 0, 0, false);
    }

    @Test
    void shrinksWithRoomToSpareGrowsOnAMissAndHoldsBetween() {
        SloFeedback f = new SloFeedback();
        // 100 requests per 30 s tick: the first tick is below the 200-request minimum, so it holds at 1
        assertThat(f.update(tick(100, 1.0), PolicyFixtures.at(30, 30))).isEqualTo(1.0);
        // 200 in the window, all met (1.0 > 0.99 + 0.005): x 0.99
        assertThat(f.update(tick(100, 1.0), PolicyFixtures.at(60, 30))).isCloseTo(0.99, within(1e-12));
        // 300 in the window: (100 + 100 + 99.3) / 300 = 0.99767 > 0.995: x 0.99 again
        assertThat(f.update(tick(100, 0.993), PolicyFixtures.at(90, 30))).isCloseTo(0.99 * 0.99, within(1e-12));
        // (299.3 + 96) / 400 = 0.98825 < 0.99: x 1.05
        assertThat(f.update(tick(100, 0.96), PolicyFixtures.at(120, 30))).isCloseTo(0.99 * 0.99 * 1.05, within(1e-12));
        // (395.3 + 100) / 500 = 0.9906, inside [0.99, 0.995]: holds
        assertThat(f.update(tick(100, 1.0), PolicyFixtures.at(150, 30))).isCloseTo(0.99 * 0.99 * 1.05, within(1e-12));
    }

    @Test
    void requestsTurnedAwayCountAsMissesAsTheRunCountsThem() {
        SloFeedback f = new SloFeedback();
        // 300 requests a tick, 30 of them rejected at arrival (admission) and every one served meeting the SLO:
        // 270 / 300 = 90 % met, below the 0.99 target, so it grows (x 1.05), where the served alone read 100 %
        ModelObservation rejecting = new ModelObservation(SPEC, 300, 0, 0, 0, 0.5, Double.NaN, 1.0, 1, 0, 30, 0, false);
        assertThat(f.update(rejecting, PolicyFixtures.at(30, 30))).isCloseTo(1.05, within(1e-12));
        // a tick whose every request was turned away finished none (attainment NaN), yet is 200 misses more: x 1.05
        ModelObservation allDropped = new ModelObservation(SPEC, 200, 0, 0, 0, 0.5, Double.NaN, Double.NaN, 1, 0, 200, 0, false);
        assertThat(f.update(allDropped, PolicyFixtures.at(60, 30))).isCloseTo(1.05 * 1.05, within(1e-12));
    }

    @Test
    void oldTicksLeaveTheWindowAndTheFactorStaysInItsBounds() {
        SloFeedback f = new SloFeedback();
        double t = 0;
        for (int i = 0; i < 200; i++) f.update(tick(1000, 0.5), PolicyFixtures.at(t += 30, 30));
        assertThat(f.factor()).isEqualTo(SloFeedback.MAX);
        // ten minutes of perfect ticks push the misses out of the window; then every tick shrinks it, down to MIN
        for (int i = 0; i < 20; i++) f.update(tick(1000, 1.0), PolicyFixtures.at(t += 30, 30));
        double after = f.factor();
        assertThat(after).isLessThan(SloFeedback.MAX);
        for (int i = 0; i < 500; i++) f.update(tick(1000, 1.0), PolicyFixtures.at(t += 30, 30));
        assertThat(f.factor()).isEqualTo(SloFeedback.MIN);
    }
}
