package io.prescale.live.registry;

/** Test access to the pool's package-private parts. */
public final class LocalPoolAccess {
    private LocalPoolAccess() {}

    public static java.util.List<Long> parse(String nvidiaSmiOutput) {
        return LocalPool.parseGpuMemory(nvidiaSmiOutput);
    }
}
