package io.prescale.simulator.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IRM benchmark measures ticks that do work: demand changes every tick, so the policy starts replicas
 * (placement) and stops others on every one. Before, it fed no arrivals: after the first tick, nothing was
 * placed or stopped, and the figure was the cost of an idle tick.
 */
class IrmDecisionBenchmarkTest {

    @Test
    void everyTickStartsAndStopsReplicas() {
        IrmDecisionBenchmark b = new IrmDecisionBenchmark();
        b.models = 100;
        b.policy = "predictive.headroom";
        b.build();
        // the first ten minutes settle the replica counts the first tick set from history alone (its scale-down
        // delay is 5 minutes); from then on each tick some models burst and others fall back
        for (int k = 0; k < 20; k++) {
            b.arrivalsUpToTheNextTick();
            b.tick();
        }
        long starts = 0, stops = 0;
        int both = 0;
        for (int k = 0; k < 20; k++) {
            b.arrivalsUpToTheNextTick();
            b.tick();
            assertThat(b.lastTickStarts + b.lastTickStops).as("replicas started or stopped on tick %d", k).isPositive();
            if (b.lastTickStarts > 0 && b.lastTickStops > 0) both++;
            starts += b.lastTickStarts;
            stops += b.lastTickStops;
        }
        // at 100 models a few per tick each way (at the benchmark's 1,000, ten times as many)
        assertThat(both).as("ticks that both started and stopped replicas").isGreaterThanOrEqualTo(16);
        assertThat(starts).isGreaterThanOrEqualTo(40);
        assertThat(stops).isGreaterThanOrEqualTo(40);
        System.out.printf("100 models, 20 ticks: %d replicas started, %d stopped, %d ticks with both%n", starts, stops, both);
    }
}
