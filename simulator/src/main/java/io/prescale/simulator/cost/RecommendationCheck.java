package io.prescale.simulator.cost;

import io.prescale.simulator.engine.Simulation;
import io.prescale.simulator.engine.SimulationSetup;
import io.prescale.simulator.metrics.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Applies each recommendation in a re-simulation of the same policy and reports predicted vs realised savings. */
public final class RecommendationCheck {

    /** One recommendation after re-simulation. */
    public record Outcome(Recommendation recommendation, double baselineCostUsd, double realisedSavingUsd,
                          double sloBefore, double sloAfter) {
        public boolean sloHolds(double target) {
            return sloAfter >= Math.min(target, sloBefore);
        }
    }

    private RecommendationCheck() {}

    public static List<Outcome> verify(SimulationSetup setup, String policy, Map<String, Object> params, RunResult baseline,
                                       List<Recommendation> recs, int workers) {
        List<Recommendation> actionable = recs.stream().filter(r -> r.apply() != null).toList();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(workers, Math.max(1, actionable.size()))));
        try {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (Recommendation r : actionable) {
                SimulationSetup changed = r.apply().apply(setup);
                futures.add(pool.submit(() -> new Simulation(changed).run(policy, params, Simulation.Progress.NONE)));
            }
            List<Outcome> out = new ArrayList<>();
            for (int i = 0; i < actionable.size(); i++) {
                RunResult after = futures.get(i).get();
                out.add(new Outcome(actionable.get(i), baseline.totals().costUsd(),
                        baseline.totals().costUsd() - after.totals().costUsd(), baseline.totals().sloAttainment(),
                        after.totals().sloAttainment()));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
