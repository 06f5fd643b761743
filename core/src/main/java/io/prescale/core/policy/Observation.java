package io.prescale.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Immutable snapshot the policy decides on: per-model demand and state, per-pool state, at {@code now}. */
public record Observation(Instant now, Duration interval, List<ModelObservation> models, List<PoolObservation> pools) {

    public Observation {
        models = List.copyOf(models);
        pools = List.copyOf(pools);
    }

    /** {@code now} as nanoseconds since the epoch: what policies keep their timers in. */
    public long nowNanos() {
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public double intervalSeconds() {
        return interval.toNanos() / 1e9;
    }

    public Optional<ModelObservation> model(String id) {
        return models.stream().filter(m -> m.model().equals(id)).findFirst();
    }

    public Optional<PoolObservation> pool(String id) {
        return pools.stream().filter(p -> p.pool().equals(id)).findFirst();
    }
}
