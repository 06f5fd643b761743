package io.prescale.core.policy;

import io.prescale.core.resource.PoolShape;

/** One pool at one control tick; {@code nodesInUse}: nodes (ready or not) that host at least one replica. */
public record PoolObservation(PoolShape shape, int nodesReady, int nodesProvisioning,
                              long gpuMemoryUsedBytes, long gpuMemoryCapacityBytes, double costPerHour, int nodesInUse) {
    /** A pool whose every node is in use. */
    public PoolObservation(PoolShape shape, int nodesReady, int nodesProvisioning,
                           long gpuMemoryUsedBytes, long gpuMemoryCapacityBytes, double costPerHour) {
        this(shape, nodesReady, nodesProvisioning, gpuMemoryUsedBytes, gpuMemoryCapacityBytes, costPerHour, nodesReady + nodesProvisioning);
    }

    public String pool() {
        return shape.id();
    }
}
