package io.prescale.simulator.cost;

import io.prescale.simulator.engine.ParallelRuns;
import io.prescale.simulator.engine.Simulation;
import io.prescale.simulator.engine.SimulationSetup;
import io.prescale.simulator.metrics.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Applies each recommendation in a re-simulation of the same policy and reports predicted vs realised savings. */
public final class RecommendationCheck {

    /**
     * One recommendation after re-simulation: the saving and the whole run's SLO attainment, and where it targets
     * one model, that model's own (NaN for a pool-wide change): a change can cost its model its SLO while the run's
     * attainment, carried by the other models, still reads above target. A spot move's re-simulation also says how
     * many spot nodes were taken back and how many replicas went with them.
     */
    public record Outcome(Recommendation recommendation, double baselineCostUsd, double realisedSavingUsd,
                          double sloBefore, double sloAfter, double modelSloBefore, double modelSloAfter, double modelSloTarget,
                          long spotInterruptions, long spotLostReplicas) {
        /** With no spot pool in the re-simulation. */
        public Outcome(Recommendation recommendation, double baselineCostUsd, double realisedSavingUsd,
                       double sloBefore, double sloAfter, double modelSloBefore, double modelSloAfter, double modelSloTarget) {
            this(recommendation, baselineCostUsd, realisedSavingUsd, sloBefore, sloAfter, modelSloBefore, modelSloAfter, modelSloTarget, 0, 0);
        }

        /**
         * Neither the run's attainment falls below {@code runTarget} nor the target model's below its own SLO target
         * (or either below where it was, when it was already under).
         */
        public boolean sloHolds(double runTarget) {
            return sloAfter >= Math.min(runTarget, sloBefore)
                    && (Double.isNaN(modelSloBefore) || modelSloAfter >= Math.min(modelSloTarget, modelSloBefore));
        }
    }

    private RecommendationCheck() {}

    public static List<Outcome> verify(SimulationSetup setup, String policy, Map<String, Object> params, RunResult baseline,
                                       List<Recommendation> recs, int workers) {
        List<Recommendation> actionable = recs.stream().filter(r -> r.apply() != null).toList();
        List<Callable<RunResult>> tasks = new ArrayList<>();
        for (Recommendation r : actionable) {
            SimulationSetup changed = r.apply().apply(setup);
            tasks.add(() -> new Simulation(changed).run(policy, params, Simulation.Progress.NONE));
        }
        List<RunResult> after = ParallelRuns.run(tasks, workers);
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < actionable.size(); i++) {
            String target = actionable.get(i).target();
            out.add(new Outcome(actionable.get(i), baseline.totals().costUsd(),
                    baseline.totals().costUsd() - after.get(i).totals().costUsd(), baseline.totals().sloAttainment(),
                    after.get(i).totals().sloAttainment(), modelSlo(baseline, target), modelSlo(after.get(i), target),
                    setup.models().stream().filter(m -> m.id().equals(target)).mapToDouble(m -> m.slo().target()).findFirst().orElse(Double.NaN),
                    after.get(i).scheduling().spotInterruptions(),
                    after.get(i).scheduling().models().stream().mapToLong(RunResult.ModelOutcome::spotLost).sum()));
        }
        return out;
    }

    /** The SLO attainment of model {@code id} in {@code run}; NaN when {@code id} names no model (a pool). */
    static double modelSlo(RunResult run, String id) {
        return run.models().stream().filter(t -> t.model().equals(id)).mapToDouble(RunResult.Totals::sloAttainment).findFirst().orElse(Double.NaN);
    }
}
