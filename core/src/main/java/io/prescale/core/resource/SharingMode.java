package io.prescale.core.resource;

/** How replicas of different models share one GPU. */
public enum SharingMode {
    /** One replica per GPU. */
    EXCLUSIVE,
    /** Hardware partitions (A100/H100/H200 MIG profiles): isolated memory and SMs, no interference. */
    MIG,
    /** CUDA MPS: concurrent kernels with SM-percentage limits; memory shared, some interference. */
    MPS,
    /** Time slicing: the GPU alternates between processes; memory shared, strongest interference. */
    TIME_SLICED;

    public static SharingMode parse(String s) {
        // the root locale: in a Turkish one "mig" upper-cased to "MİG" (dotted I) and no mode matched
        String n = s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (SharingMode m : values()) if (m.name().equals(n)) return m;
        throw new IllegalArgumentException("unknown sharing mode '" + s + "' (one of exclusive, mig, mps, time-sliced)");
    }
}
