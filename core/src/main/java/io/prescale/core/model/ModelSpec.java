package io.prescale.core.model;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the resource manager knows about one served model: where it runs, what a replica needs,
 * how fast it serves, how it batches and queues, its objective and its priority.
 *
 * @param pool          the pool shape its replicas run on by default (e.g. "h100-80gb")
 * @param profiles      latency profile per pool shape; must hold {@code pool}
 * @param loadTime      cold start: from placement on a ready machine to serving (weights load + warm-up)
 * @param queueCapacity requests waiting per model beyond which new arrivals are dropped
 * @param timeout       a request still waiting after this long is abandoned (counted as timed out)
 */
public record ModelSpec(String id, String pool, ResourceNeeds needs, Map<String, LatencyProfile> profiles,
                        int maxBatch, Duration maxQueueDelay, int queueCapacity, Duration timeout,
                        Slo slo, PriorityClass priority, Duration loadTime, int minReplicas, int maxReplicas) {

    public ModelSpec {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) throw new IllegalArgumentException("id must not be blank");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(needs, "needs");
        profiles = Map.copyOf(profiles);
        if (!profiles.containsKey(pool)) throw new IllegalArgumentException("profiles has no entry for pool '" + pool + "'");
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1");
        if (maxQueueDelay == null || maxQueueDelay.isNegative()) throw new IllegalArgumentException("maxQueueDelay must be >= 0");
        if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity must be >= 1");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be > 0");
        Objects.requireNonNull(slo, "slo");
        Objects.requireNonNull(priority, "priority");
        if (loadTime == null || loadTime.isNegative()) throw new IllegalArgumentException("loadTime must be >= 0");
        if (minReplicas < 0) throw new IllegalArgumentException("minReplicas must be >= 0");
        if (maxReplicas < Math.max(1, minReplicas)) throw new IllegalArgumentException("maxReplicas must be >= max(1, minReplicas)");
    }

    /** The latency profile on its default pool. */
    public LatencyProfile latency() {
        return profiles.get(pool);
    }

    public ModelSpec withId(String newId) {
        return new ModelSpec(newId, pool, needs, profiles, maxBatch, maxQueueDelay, queueCapacity, timeout, slo, priority, loadTime, minReplicas, maxReplicas);
    }

    /** The same model kept within [{@code min}, {@code max}] replicas. */
    public ModelSpec withReplicaRange(int min, int max) {
        return new ModelSpec(id, pool, needs, profiles, maxBatch, maxQueueDelay, queueCapacity, timeout, slo, priority, loadTime, min, max);
    }

    public ModelSpec withPool(String newPool, LatencyProfile profile) {
        var p = new java.util.HashMap<>(profiles);
        p.put(newPool, profile);
        return new ModelSpec(id, newPool, needs, p, maxBatch, maxQueueDelay, queueCapacity, timeout, slo, priority, loadTime, minReplicas, maxReplicas);
    }
}
