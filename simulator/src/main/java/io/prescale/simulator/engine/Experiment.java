package io.prescale.simulator.engine;

import io.prescale.simulator.metrics.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Several policies over the same workload, run in parallel on local cores. Each run is independent and
 * seeded the same way, so results do not depend on the number of workers; they come back in the order
 * the policies were given.
 */
public final class Experiment {

    /** One policy with its params (over the catalog defaults). */
    public record Arm(String policy, Map<String, Object> params) {}

    private Experiment() {}

    public static List<RunResult> run(SimulationSetup setup, List<Arm> arms, int workers, Simulation.Progress progress) {
        List<Callable<RunResult>> tasks = new ArrayList<>();
        for (Arm a : arms) tasks.add(() -> new Simulation(setup).run(a.policy(), a.params(), progress));
        return ParallelRuns.run(tasks, workers);
    }
}
