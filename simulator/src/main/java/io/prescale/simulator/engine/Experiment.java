package io.prescale.simulator.engine;

import io.prescale.simulator.metrics.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(workers, arms.size())), r -> {
            Thread t = new Thread(r, "prescale-sim");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (Arm a : arms) futures.add(pool.submit(() -> new Simulation(setup).run(a.policy(), a.params(), progress)));
            List<RunResult> out = new ArrayList<>();
            for (Future<RunResult> f : futures) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }
}
