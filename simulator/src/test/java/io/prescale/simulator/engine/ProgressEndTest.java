package io.prescale.simulator.engine;

import io.prescale.datasets.SyntheticTraceGenerator;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.workload.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A run's progress ends at 1 with every request it scored. */
class ProgressEndTest {
    @Test
    void theLastProgressReportIsTheWholeWindow() {
        // the window [1h, 2h) in 15-minute report intervals: its last boundary falls at the end itself, where the
        // End event (queued first) stopped the loop before it, so progress stopped at 0.75 and the terminal's last
        // line read "simulated 75.0% ... ETA 0s"
        Workload w = Workload.load("synthetic-requests", new SyntheticTraceGenerator(SyntheticTraceGenerator.defaults(2)
                .withSpan(Duration.ofHours(2))).requests());
        SimulationSetup s = SimulationEndToEndTest.setup(w, 3600, 7200, 0.05, 1);
        List<double[]> seen = new ArrayList<>();
        RunResult r = new Simulation(s).run("reactive.hpa", Map.of(), (p, f, n) -> seen.add(new double[]{f, n}));
        assertThat(seen).isNotEmpty().allSatisfy(x -> assertThat(x[0]).isBetween(0.0, 1.0));
        double[] last = seen.get(seen.size() - 1);
        assertThat(last[0]).isEqualTo(1.0);
        assertThat((long) last[1]).isEqualTo(r.totals().requests());
        assertThat(seen.stream().filter(x -> x[0] == 1.0).count()).isEqualTo(1);

        // a window shorter than one report interval: its one boundary is the end, reported once
        seen.clear();
        new Simulation(SimulationEndToEndTest.setup(w, 3600, 4200, 0.05, 1)).run("reactive.hpa", Map.of(), (p, f, n) -> seen.add(new double[]{f, n}));
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)[0]).isEqualTo(1.0);
    }
}
