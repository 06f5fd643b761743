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

    /**
     * Nothing to change (kept so a decision log shows that the policy ran), with a note for people in {@code reason}.
     * {@code heldBack} says, per model, how many replicas the policy wanted and did not ask for (a budget cap held
     * them back, as {@code predictive.budget} notes): the simulator charges each model its shortfall from it, never
     * from the note's text. Empty for a plain note.
     */
    record NoOp(String reason, java.util.Map<String, Integer> heldBack) implements Decision {
        public NoOp {
            java.util.Map<String, Integer> copy = new java.util.LinkedHashMap<>();
            if (heldBack != null) heldBack.forEach((model, replicas) -> {
                if (model == null || replicas == null || replicas < 1)
                    throw new IllegalArgumentException("heldBack: want a model and at least 1 replica, got " + model + " -> " + replicas);
                copy.put(model, replicas);
            });
            heldBack = java.util.Collections.unmodifiableMap(copy);
        }

        /** A plain note: nothing held back. */
        public NoOp(String reason) {
            this(reason, java.util.Map.of());
        }

        @Override
        public String toString() { // as a plain note always read, with what was held back where there is some
            return "NoOp[reason=" + reason + (heldBack.isEmpty() ? "" : ", heldBack=" + heldBack) + "]";
        }
    }
}
