package io.prescale.core.policy;

/** What a policy asks of the cluster at one tick. Sealed so every actuator handles every kind. */
public sealed interface Decision {

    /** Run {@code replicas} replicas of {@code model} (the actuator clamps to the model's min/max). */
    record ScaleModel(String model, int replicas) implements Decision {
        public ScaleModel {
            if (replicas < 0) throw new IllegalArgumentException("replicas must be >= 0");
        }
    }

    /** Keep at least {@code nodes} nodes in {@code pool}, ready for replicas that are not asked for yet. */
    record ResizePool(String pool, int nodes) implements Decision {
        public ResizePool {
            if (nodes < 0) throw new IllegalArgumentException("nodes must be >= 0");
        }
    }

    /** Load one replica of {@code model} ahead of traffic if it has none. */
    record Preload(String model) implements Decision {}

    /** Remove every replica of {@code model} once its in-flight requests finish. */
    record Evict(String model) implements Decision {}

    /** Nothing to change (kept so a decision log shows that the policy ran). */
    record NoOp(String reason) implements Decision {}
}
