package io.prescale.simulator;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;

import java.time.Duration;
import java.util.Map;

/** Small hand-built specs and pool shapes for simulator tests. */
public final class TestSpecs {
    private TestSpecs() {}

    public static final long GB = 1_000_000_000L;

    /** A model on {@code pool} with the given profile and batching; the other fields are roomy defaults. */
    public static ModelSpec model(String id, String pool, LatencyProfile profile, int maxBatch, double maxDelaySeconds,
                                  int queueCapacity, double timeoutSeconds, double sloSeconds) {
        return new ModelSpec(id, pool, new ResourceNeeds(1, 0, 10 * GB, 0.5, null), Map.of(pool, profile), maxBatch,
                seconds(maxDelaySeconds), queueCapacity, seconds(timeoutSeconds), new Slo(seconds(sloSeconds), 0, 0.99),
                PriorityClass.NORMAL, Duration.ZERO, 0, 1000);
    }

    /** A model with explicit resource needs and load time (for packing tests). */
    public static ModelSpec model(String id, String pool, ResourceNeeds needs, Duration loadTime) {
        return new ModelSpec(id, pool, needs, Map.of(pool, LatencyProfile.linear(0.04, 0.01)), 8, Duration.ofMillis(10),
                1000, Duration.ofSeconds(30), new Slo(Duration.ofMillis(500), 0, 0.99), PriorityClass.NORMAL, loadTime, 0, 1000);
    }

    public static ResourceNeeds gpu(long memoryBytes, double computeShare, String migProfile) {
        return new ResourceNeeds(1, 0, memoryBytes, computeShare, migProfile);
    }

    /** One-GPU nodes of {@code gpuGb} GB at {@code pricePerHour}, provisioned after {@code provisioningSeconds}. */
    public static PoolShape gpuPool(String id, long gpuGb, SharingMode sharing, double pricePerHour,
                                    double provisioningSeconds, int maxNodes) {
        return new PoolShape(id, "test-gpu", 1, gpuGb * GB, 16, 128 * GB, pricePerHour, seconds(provisioningSeconds),
                sharing, 0, maxNodes, "test price");
    }

    public static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}
