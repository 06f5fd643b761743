package io.prescale.policies;

import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.policy.DemandOracle;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PolicyContext;
import io.prescale.core.policy.PoolObservation;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Hand-built specs, observations and contexts for driving policies tick by tick. */
public final class PolicyFixtures {
    private PolicyFixtures() {}

    public static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    public static final PoolShape POOL = new PoolShape("gpu", "test", 1, 80_000_000_000L, 16, 0, 2.0,
            Duration.ofSeconds(180), SharingMode.EXCLUSIVE, 0, 1000, "test");

    /** A model on pool "gpu": 40 ms + 10 ms per item, max batch {@code maxBatch}, SLO 500 ms, 60 s load. */
    public static ModelSpec spec(String id, int maxBatch, int maxReplicas) {
        return new ModelSpec(id, "gpu", new ResourceNeeds(1, 0, 10_000_000_000L, 0.5, null),
                Map.of("gpu", LatencyProfile.linear(0.04, 0.01)), maxBatch, Duration.ofMillis(10), 10_000,
                Duration.ofSeconds(30), new Slo(Duration.ofMillis(500), 0, 0.99), PriorityClass.NORMAL,
                Duration.ofSeconds(60), 0, maxReplicas);
    }

    /** A model observation with the fields the reactive policies read; the rest neutral. */
    public static ModelObservation model(ModelSpec spec, long arrivals, int queued, int inService, double concurrency,
                                         double busy, int ready, int starting) {
        return new ModelObservation(spec, arrivals, queued, inService, concurrency, busy, Double.NaN, Double.NaN,
                ready, starting, 0, 0, false);
    }

    public static Observation at(double seconds, double intervalSeconds, ModelObservation... models) {
        return new Observation(T0.plusMillis(Math.round(seconds * 1000)), Duration.ofMillis(Math.round(intervalSeconds * 1000)),
                List.of(models), List.of(new PoolObservation(POOL, 1, 0, 0, 80_000_000_000L, 2.0)));
    }

    public static PolicyContext context(Optional<DemandOracle> oracle) {
        return new PolicyContext(InstantSource.fixed(T0), new SplittableRandom(7), Forecaster.none(),
                new CostModel(Map.of("gpu", 2.0), 0), oracle);
    }

    /** A demand oracle over a rate function (requests/s of a model at a second offset from T0). */
    public static DemandOracle oracle(java.util.function.ToDoubleBiFunction<String, Double> rate) {
        return new DemandOracle() {
            @Override
            public double arrivals(String model, Instant from, Instant to) {
                double a = Duration.between(T0, from).toMillis() / 1000.0, b = Duration.between(T0, to).toMillis() / 1000.0;
                double sum = 0;
                for (double t = a; t < b; t += 1) sum += rate.applyAsDouble(model, t) * Math.min(1, b - t);
                return sum;
            }

            @Override
            public double peakRate(String model, double windowSeconds) {
                double best = 0;
                for (double t = 0; t < 86400; t += windowSeconds) best = Math.max(best, rate.applyAsDouble(model, t));
                return best;
            }
        };
    }
}
