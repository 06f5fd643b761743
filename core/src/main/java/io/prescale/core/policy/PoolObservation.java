package io.prescale.core.policy;

import io.prescale.core.resource.PoolShape;

/** One pool at one control tick. */
public record PoolObservation(PoolShape shape, int nodesReady, int nodesProvisioning,
                              long gpuMemoryUsedBytes, long gpuMemoryCapacityBytes, double costPerHour) {
    public String pool() {
        return shape.id();
    }
}
