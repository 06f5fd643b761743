package io.prescale.simulator.sweep;

import java.util.List;
import java.util.Map;

/** Where a sweep's scenarios run: threads on this machine ({@link SweepRunner#local}) or Spark tasks ({@link SparkScenarios}). */
public interface ScenarioExecutor {

    /** Runs every scenario; results in scenario order, whatever order they finish in. */
    List<ScenarioResult> run(List<Scenario> scenarios, Map<Object, PreparedContext> contexts, SweepRunner.Listener listener);

    /** Scenarios run at once (for a Spark cluster: the task slots it offered, known once {@link #run} returns). */
    int parallelism();

    /** For the log and the report, e.g. {@code 2 local workers} or {@code Spark local[2]}. */
    String describe();
}
