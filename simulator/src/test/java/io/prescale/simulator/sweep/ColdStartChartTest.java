package io.prescale.simulator.sweep;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ColdStartChartTest {
    @Test
    void theFrontierKeepsConfigurationsNoOtherBeatsOnBothAxes() {
        // (memory, cold starts): (10, 50) (20, 30) (25, 40) (30, 10) (40, 10) (5, NaN)
        // by memory: 10 → 50 kept; 20 → 30 < 50 kept; 25 → 40 ≥ 30 beaten by (20, 30); 30 → 10 kept;
        // 40 → 10 not below 10, beaten by (30, 10) with less memory; NaN is left out
        double[] memory = {25, 10, 40, 30, 20, 5};
        double[] cold = {40, 50, 10, 10, 30, Double.NaN};
        assertThat(ColdStartChart.frontier(memory, cold)).containsExactly(1, 4, 3);
    }

    @Test
    void ofEqualPointsTheFirstIsKept() {
        assertThat(ColdStartChart.frontier(new double[]{7, 7}, new double[]{3, 3})).containsExactly(0);
        assertThat(ColdStartChart.frontier(new double[]{}, new double[]{})).isEmpty();
    }
}
