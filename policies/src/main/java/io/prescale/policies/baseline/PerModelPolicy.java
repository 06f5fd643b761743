package io.prescale.policies.baseline;

import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.Policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A policy that sets each model's replica count on its own, keeping a little state per model
 * (windows, timers). Subclasses say how many replicas one model should have now.
 */
public abstract class PerModelPolicy<S> implements Policy {
    private final String id;
    private final Duration interval;
    private final Supplier<S> newState;
    private final Map<String, S> states = new HashMap<>();

    protected PerModelPolicy(String id, Duration interval, Supplier<S> newState) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("the control interval (the policy's tick, syncPeriod or metricsInterval) must be > 0");
        this.id = id;
        this.interval = interval;
        this.newState = newState;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Duration controlInterval() {
        return interval;
    }

    @Override
    public List<Decision> decide(Observation obs) {
        List<Decision> out = new ArrayList<>(obs.models().size());
        for (ModelObservation m : obs.models()) {
            S s = states.computeIfAbsent(m.model(), k -> newState.get());
            int target = target(m, s, obs);
            target = Math.max(m.spec().minReplicas(), Math.min(m.spec().maxReplicas(), target));
            out.add(new Decision.ScaleModel(m.model(), target));
        }
        return out;
    }

    @Override
    public void forget(String model) {
        states.remove(model);
    }

    /** The state kept for {@code model}, or null before its first tick (and after {@link #forget}). */
    protected final S stateOf(String model) {
        return states.get(model);
    }

    /** Replicas {@code m} should have after this tick (clamped to the model's min/max by the caller). */
    protected abstract int target(ModelObservation m, S state, Observation obs);

    protected static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
