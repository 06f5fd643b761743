package io.prescale.simulator.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ParetoTest {
    @Test
    void theFrontierKeepsOnlyUndominatedPointsOrderedBySlo() {
        List<Pareto.Point> p = List.of(
                new Pareto.Point(0.990, 10),   // 0: frontier (cheapest at 99 %)
                new Pareto.Point(0.995, 12),   // 1: frontier
                new Pareto.Point(0.993, 13),   // 2: dominated by 1 (lower SLO, higher cost)
                new Pareto.Point(0.980, 10),   // 3: dominated by 0 (same cost, lower SLO)
                new Pareto.Point(0.999, 30),   // 4: frontier (best SLO)
                new Pareto.Point(0.995, 12),   // 5: duplicate of 1: the first stands for both
                new Pareto.Point(0.970, 5));   // 6: frontier (cheapest)
        assertThat(Pareto.frontier(p)).containsExactly(6, 0, 1, 4);
    }
}
