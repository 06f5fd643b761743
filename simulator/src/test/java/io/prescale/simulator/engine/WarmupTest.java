package io.prescale.simulator.engine;

import io.prescale.datasets.SyntheticTraceGenerator;
import io.prescale.simulator.cluster.ClusterOptions;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.workload.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An unscored warm-up before --from: the same arrivals are scored, the books still balance and close. */
class WarmupTest {
    static final double H = 3600;

    @Test
    void warmupIsNotScored() {
        // a request-level trace: the same requests arrive in [2h, 6h) whatever happens before
        Workload w = Workload.load("synthetic-requests", new SyntheticTraceGenerator(SyntheticTraceGenerator.defaults(4)
                .withSpan(Duration.ofHours(6))).requests());
        SimulationSetup cold = SimulationEndToEndTest.setup(w, 2 * H, 6 * H, 0.05, 1);
        SimulationSetup warm = new SimulationSetup(cold.workload(), cold.from(), cold.to(), cold.models(), cold.pools(), cold.rateScale(),
                cold.seed(), cold.reportInterval(), cold.costModel(), cold.forecasters(), 0, 1, ClusterOptions.DEFAULT, H);
        assertThat(warm.simulatedFrom()).isEqualTo(H);
        for (String policy : new String[]{"reactive.hpa", "keepalive.fixed"}) {
            RunResult a = new Simulation(cold).run(policy, Map.of(), Simulation.Progress.NONE);
            RunResult b = new Simulation(warm).run(policy, Map.of(), Simulation.Progress.NONE);
            RunResult.Totals t = b.totals();
            // requests still waiting at 2h are counted as arriving then; the arrivals themselves are the same
            assertThat(t.requests()).isGreaterThanOrEqualTo(a.totals().requests());
            assertThat(t.requests()).isEqualTo(t.served() + t.dropped() + t.timedOut() + t.inFlight());
            assertThat(b.invariants().hold()).isTrue();
            assertThat(b.attribution().closure()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            // the time series covers only the scored window, from its start
            assertThat(b.series()).isNotEmpty().allSatisfy(r -> assertThat(r.start()).isGreaterThanOrEqualTo(2 * H));
            assertThat(b.series().get(0).start()).isEqualTo(2 * H);
            // the scored window has its own bill (nodes are billed from 2h on)
            assertThat(b.attribution().billUsd()).isPositive();
        }
    }
}
