package io.prescale.simulator.engine;

import io.prescale.simulator.metrics.RunResult;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole runs with replica failures (--replica-mtbf): what failed replicas were running is served again or lost. */
class ReplicaFailureRunTest {

    @Test
    void aRunWithFrequentFailuresAndAWarmUpBalancesItsRequestsAndRepeats() {
        // the synthetic trace, 1 h of warm-up then 5 h scored, a failure per replica every 15 minutes on average: failures
        // strike batches dispatched in the warm-up, in closed report rows and in the current one
        SimulationSetup b = SimulationEndToEndTest.setup(SimulationEndToEndTest.SYNTHETIC, 3600, 6 * 3600, 0.1, 3);
        SimulationSetup s = new SimulationSetup(b.workload(), b.from(), b.to(), b.models(), b.pools(), b.rateScale(), b.seed(),
                b.reportInterval(), b.costModel(), b.forecasters(), 0.25, 1, b.cluster(), 3600);
        RunResult r = new Simulation(s).run("reactive.hpa", Map.of(), Simulation.Progress.NONE);
        RunResult again = new Simulation(s).run("reactive.hpa", Map.of(), Simulation.Progress.NONE);
        assertThat(r.scheduling().failures()).isGreaterThan(5);
        assertThat(r.invariants().hold()).isTrue();
        for (RunResult.Totals t : r.models()) {
            assertThat(t.served()).isLessThanOrEqualTo(t.requests());
            assertThat(t.requests()).isEqualTo(t.served() + t.dropped() + t.timedOut() + t.inFlight());
        }
        assertThat(again.totals()).isEqualTo(r.totals());
    }
}
