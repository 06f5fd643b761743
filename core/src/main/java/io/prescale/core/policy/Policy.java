package io.prescale.core.policy;

import java.time.Duration;
import java.util.List;

/**
 * A scaling policy. It never reads a wall clock and never does I/O: it sees an {@link Observation}
 * and returns decisions, so the same instance runs in the simulator and in the live runner.
 */
public interface Policy {

    /**
     * The live runner ticks at most this often (every tick observes every model and may append to its decision log):
     * a policy whose {@link #controlInterval()} is shorter runs in the simulator only, so a sweep's winner must not be one.
     */
    Duration MIN_LIVE_CONTROL_INTERVAL = Duration.ofSeconds(1);

    /** Catalog id, e.g. "reactive.hpa". */
    String id();

    List<Decision> decide(Observation observation);

    /** How often the control loop asks this policy (the real system's sync period). */
    Duration controlInterval();

    /**
     * Drops any state kept for {@code model} (it was removed from the cluster); a model that appears again under its
     * name starts afresh. A policy that keeps state per model overrides this.
     */
    default void forget(String model) { }

    /**
     * Whether a request reaching a model with no replica starts one at once (Knative's activator,
     * serverless keep-alive), instead of waiting for the next tick.
     */
    default boolean scalesFromZeroOnArrival() {
        return false;
    }
}
