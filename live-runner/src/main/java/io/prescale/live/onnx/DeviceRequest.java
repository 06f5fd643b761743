package io.prescale.live.onnx;

/**
 * Where a replica should run: CPU with {@code cpuThreads} intra-op threads, or a CUDA device with a cap
 * on the memory its arena may take ({@code gpuMemoryBytes}, so several models share one GPU).
 */
public record DeviceRequest(int cpuThreads, boolean cuda, int cudaDevice, long gpuMemoryBytes) {
    public DeviceRequest {
        if (cpuThreads < 1) throw new IllegalArgumentException("cpuThreads must be >= 1");
        if (gpuMemoryBytes < 0) throw new IllegalArgumentException("gpuMemoryBytes must be >= 0");
    }

    public static DeviceRequest cpu(int threads) {
        return new DeviceRequest(threads, false, 0, 0);
    }
}
