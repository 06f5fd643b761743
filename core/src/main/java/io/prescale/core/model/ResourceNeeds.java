package io.prescale.core.model;

/**
 * What one replica of a model takes from a machine. {@code gpuComputeShare} is the SM share it needs
 * under MPS (1.0 = a whole GPU); {@code migProfile} names the smallest MIG slice it fits (e.g. "3g.40gb"),
 * or is null to be derived from the memory need.
 */
public record ResourceNeeds(double cpuCores, long hostMemoryBytes, long gpuMemoryBytes,
                            double gpuComputeShare, String migProfile) {

    public ResourceNeeds {
        if (!(cpuCores >= 0)) throw new IllegalArgumentException("needs.cpuCores must be >= 0");
        if (hostMemoryBytes < 0) throw new IllegalArgumentException("needs.hostMemory must be >= 0");
        if (gpuMemoryBytes < 0) throw new IllegalArgumentException("needs.gpuMemory must be >= 0");
        if (!(gpuComputeShare >= 0 && gpuComputeShare <= 1)) throw new IllegalArgumentException("needs.gpuComputeShare must be in [0, 1]");
    }

    public boolean usesGpu() {
        return gpuMemoryBytes > 0;
    }
}
