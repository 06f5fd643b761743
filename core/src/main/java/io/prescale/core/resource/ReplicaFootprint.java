package io.prescale.core.resource;

import io.prescale.core.model.ResourceNeeds;

/**
 * What one replica takes from a node of a pool under the pool's sharing mode: the GPU memory it reserves,
 * the compute share it holds, its MIG instance (MIG pools only), and {@code share}, the part of the node
 * it is billed for. The simulator packs and attributes cost with it (a shared node's bill is split over its
 * residents by {@code share}) and the budget policy prices a replica with it ({@link #pricePerHour}), so both
 * agree on what a replica costs.
 *
 * @param memoryBytes GPU memory reserved; {@link Long#MAX_VALUE} when no MIG instance on this GPU holds it
 * @param compute     SM share held (MIG slices / 7, MPS / time-slice compute share), or CPU share on CPU pools
 * @param mig         the MIG instance it gets, null outside MIG pools
 * @param share       part of the node it is billed for, in [0, 1] for a replica that fits
 */
public record ReplicaFootprint(long memoryBytes, double compute, MigProfile mig, double share) {

    /**
     * A replica of a model with {@code needs} on a node of {@code shape}: a whole node when exclusive; its
     * instance's compute slices out of 7 under MIG; the larger of its compute share and its part of the GPU's
     * memory under MPS; its part of the GPU's memory under time slicing; its part of the cores on CPU pools.
     * A node here is the pool's billable unit (one GPU in the shipped catalogs), whatever {@code gpusPerNode}
     * says: an exclusive replica holds the whole node.
     */
    public static ReplicaFootprint of(PoolShape shape, ResourceNeeds needs) {
        long mem = needs.gpuMemoryBytes();
        if (!shape.isGpu()) {
            double share = Math.min(1, needs.cpuCores() / shape.cpuCores());
            return new ReplicaFootprint(0, share, null, share);
        }
        return switch (shape.sharing()) {
            case EXCLUSIVE -> new ReplicaFootprint(mem, 1.0, null, 1.0);
            case MIG -> {
                // a MIG instance has a fixed share of the SMs: the smallest one with the memory and the compute
                // the model needs
                MigProfile p = MigProfile.forNeeds(shape.gpuMemoryBytes(), needs);
                // a named instance smaller than the model's memory holds no replica of it: placed, it reserved the
                // instance's 10 GB for a 30 GB model (a replica past its memory), and priced a seventh of a GPU
                if (p == null || p.memoryBytes() < mem) yield new ReplicaFootprint(Long.MAX_VALUE, 1, null, 1);
                yield new ReplicaFootprint(p.memoryBytes(), p.computeSlices() / 7.0, p, p.computeSlices() / 7.0);
            }
            case MPS -> new ReplicaFootprint(mem, needs.gpuComputeShare(), null,
                    Math.max(needs.gpuComputeShare(), mem / (double) shape.gpuMemoryBytes()));
            case TIME_SLICED -> new ReplicaFootprint(mem, needs.gpuComputeShare(), null, mem / (double) shape.gpuMemoryBytes());
        };
    }

    /**
     * The part of a node's room one replica takes when replicas like it are packed together: what counts the
     * nodes a number of them need. That is {@code share}, except under MIG, where a GPU holds
     * {@link MigProfile#perGpu()} instances of a profile whatever their slices add up to (four 1g.20gb, by
     * memory; one 4g.40gb), so slices out of 7 would count too few GPUs; a whole node when none holds it.
     * {@code share} stays what a shared node's bill is split by.
     */
    public double packingShare() {
        if (fitsNowhere()) return 1;
        return mig != null ? 1.0 / mig.perGpu() : share;
    }

    /** Whether no node of the pool can hold it (no MIG instance on the GPU is large enough). */
    public boolean fitsNowhere() {
        return memoryBytes == Long.MAX_VALUE;
    }

    /**
     * What holding one such replica costs per hour: the node's price times {@link #packingShare()}, which is what
     * the bill charges each replica of a node full of replicas like it (the simulator splits a node's bill over
     * its residents by {@code share}, so n of them on a full node pay 1/n each). That is {@code share} except
     * under MIG, where a GPU full of 1g.20gb instances holds four (a quarter each), not seven: priced at slices
     * out of 7, replicas a budget could pay for would take more GPUs than it pays for. On a GPU not full, or
     * shared with other profiles, the split gives a replica more or less than this.
     */
    public static double pricePerHour(PoolShape shape, ResourceNeeds needs) {
        return shape.pricePerHour() * of(shape, needs).packingShare();
    }
}
