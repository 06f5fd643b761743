package io.prescale.core.resource;

import java.time.Duration;
import java.util.Objects;

/**
 * One machine shape a pool is made of. A node is one billable unit: a single GPU (with its share of
 * host CPU and memory) for GPU shapes, or a whole VM for CPU shapes ({@code gpusPerNode = 0}).
 *
 * @param pricePerHour      on-demand price of one node, USD
 * @param provisioningDelay from request to a node that can load models
 * @param priceSource       where the price comes from, for the report
 * @param migReconfigurationDelay under MIG, how long a GPU whose instances are re-laid out takes before the
 *                          new instances take replicas (its replicas are stopped first); see
 *                          {@link #DEFAULT_MIG_RECONFIGURATION_DELAY}
 */
public record PoolShape(String id, String gpuType, int gpusPerNode, long gpuMemoryBytes, double cpuCores,
                        long hostMemoryBytes, double pricePerHour, Duration provisioningDelay,
                        SharingMode sharing, int minNodes, int maxNodes, String priceSource,
                        Duration migReconfigurationDelay) {

    /**
     * Re-laying out a GPU's MIG instances: NVIDIA's GPU Operator requires that no workload runs on a GPU whose
     * MIG layout is changed ("MIG Manager requires that no user workloads are running on the GPUs being
     * configured", GPU Operator with MIG); the layout is destroyed and created again ({@code nvidia-smi mig
     * -dci/-dgi}, {@code -cgi ... -C}, or mig-parted) and the node's device plugin advertises the new
     * instances. NVIDIA publishes no duration for this; 60 s is an assumption (the instance commands take
     * seconds, the device plugin's restart and re-advertising most of the rest), set per pool with the
     * catalog's {@code migReconfigurationDelay}. The replicas that restart on the GPU pay their load time
     * after it.
     */
    public static final Duration DEFAULT_MIG_RECONFIGURATION_DELAY = Duration.ofSeconds(60);

    /** A shape with the default MIG reconfiguration delay. */
    public PoolShape(String id, String gpuType, int gpusPerNode, long gpuMemoryBytes, double cpuCores,
                     long hostMemoryBytes, double pricePerHour, Duration provisioningDelay,
                     SharingMode sharing, int minNodes, int maxNodes, String priceSource) {
        this(id, gpuType, gpusPerNode, gpuMemoryBytes, cpuCores, hostMemoryBytes, pricePerHour, provisioningDelay,
                sharing, minNodes, maxNodes, priceSource, DEFAULT_MIG_RECONFIGURATION_DELAY);
    }

    /** The most a node may cost per hour, USD: far past any real one, far below a bill that overflows. */
    public static final double MAX_PRICE_PER_HOUR = 1_000_000;

    public PoolShape {
        Objects.requireNonNull(id, "id");
        if (gpusPerNode < 0) throw new IllegalArgumentException(id + ": gpusPerNode must be >= 0");
        if (gpusPerNode > 0 && gpuMemoryBytes <= 0) throw new IllegalArgumentException(id + ": gpuMemory must be > 0 for a GPU shape");
        if (!(cpuCores > 0)) throw new IllegalArgumentException(id + ": cpuCores must be > 0");
        // 1e308 passed ">= 0" and the bill overflowed to infinity; no node costs anywhere near a million dollars an hour
        if (!(pricePerHour >= 0 && pricePerHour <= MAX_PRICE_PER_HOUR))
            throw new IllegalArgumentException(id + ": pricePerHour must be a number from 0 to " + String.format(java.util.Locale.ROOT, "%,.0f", MAX_PRICE_PER_HOUR)
                    + " (USD per node-hour), got " + pricePerHour);
        if (provisioningDelay == null || provisioningDelay.isNegative()) throw new IllegalArgumentException(id + ": provisioningDelay must be >= 0");
        Objects.requireNonNull(sharing, "sharing");
        if (minNodes < 0 || maxNodes < Math.max(1, minNodes)) throw new IllegalArgumentException(id + ": need 0 <= minNodes <= maxNodes, maxNodes >= 1");
        if (migReconfigurationDelay == null || migReconfigurationDelay.isNegative())
            throw new IllegalArgumentException(id + ": migReconfigurationDelay must be >= 0");
    }

    public boolean isGpu() {
        return gpusPerNode > 0;
    }

    /** Whether this shape can share its GPUs that way (MIG needs a 40 GB or 80 GB-class A100/H100, a 94 GB H100 NVL, a 96 GB GH200 or a 141 GB H200). */
    public boolean supports(SharingMode mode) {
        if (!isGpu()) return mode == SharingMode.EXCLUSIVE;
        return mode != SharingMode.MIG || !MigProfile.forGpuMemory(gpuMemoryBytes).isEmpty();
    }

    public PoolShape withSharing(SharingMode mode) {
        return new PoolShape(id, gpuType, gpusPerNode, gpuMemoryBytes, cpuCores, hostMemoryBytes, pricePerHour,
                provisioningDelay, mode, minNodes, maxNodes, priceSource, migReconfigurationDelay);
    }

    public PoolShape withPricePerHour(double price, String source) {
        return new PoolShape(id, gpuType, gpusPerNode, gpuMemoryBytes, cpuCores, hostMemoryBytes, price,
                provisioningDelay, sharing, minNodes, maxNodes, source, migReconfigurationDelay);
    }
}
