package io.prescale.core.resource;

/**
 * A named pool of one machine shape, as the control loop sees it. Implemented by the simulator's
 * simulated pool and by the live runner's pool of ONNX Runtime sessions.
 */
public interface ResourcePool {
    PoolShape shape();

    int nodesReady();

    int nodesProvisioning();

    /** GPU memory placed on ready or provisioning nodes, bytes (0 for CPU pools). */
    long gpuMemoryUsedBytes();

    /** GPU memory of all ready or provisioning nodes, bytes. */
    long gpuMemoryCapacityBytes();
}
