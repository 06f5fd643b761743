package io.prescale.core.resource;

import java.util.ArrayList;
import java.util.List;

/**
 * Real MIG GPU-instance profiles (NVIDIA MIG user guide, "Supported MIG Profiles"): compute slices out
 * of 7, memory slices out of 8, how many instances of that profile fit on one GPU, and where on the GPU an
 * instance may sit.
 *
 * <p>Placements: a GPU instance occupies a run of the GPU's 8 memory slices, and may start only at fixed
 * indices. The MIG user guide lists them with {@code nvidia-smi mig -lgipp} ("Getting Started with MIG",
 * listing the possible placements; the same table on A100-80GB, H100-80GB and H100 NVL):
 * <pre>
 *   Profile ID 19 (1g.10gb)  Placements: {0,1,2,3,4,5,6}:1
 *   Profile ID 15 (1g.20gb)  Placements: {0,2,4,6}:2
 *   Profile ID 14 (2g.20gb)  Placements: {0,2,4}:2
 *   Profile ID  9 (3g.40gb)  Placements: {0,4}:4
 *   Profile ID  5 (4g.40gb)  Placement : {0}:4
 *   Profile ID  0 (7g.80gb)  Placement : {0}:8
 * </pre>
 * ({@code {starts}:size}, in memory slices.) The H200-141GB profiles are the same Hopper geometry with
 * other memory figures (1g.18gb, 1g.35gb, 2g.35gb, 3g.71gb, 4g.71gb, 7g.141gb: profile IDs 19, 15, 14, 9,
 * 5, 0), so they take the same placements; so do the A100-40GB's (SXM4 and PCIe: 1g.5gb, 1g.10gb, 2g.10gb,
 * 3g.20gb, 4g.20gb, 7g.40gb, the same IDs, seven, four, three, two, one and one to a GPU). Two instances may not share a memory slice; free slices that
 * no placement of a profile covers leave the GPU fragmented for it (a 3g cannot start at slice 2).
 */
public enum MigProfile {
    // A100-40GB (the first MIG GPU): the same table at half the memory
    P40_1G_5GB("40gb", "1g.5gb", 1, 1, 7, 0, 1, 2, 3, 4, 5, 6),
    P40_1G_10GB("40gb", "1g.10gb", 1, 2, 4, 0, 2, 4, 6),
    P40_2G_10GB("40gb", "2g.10gb", 2, 2, 3, 0, 2, 4),
    P40_3G_20GB("40gb", "3g.20gb", 3, 4, 2, 0, 4),
    P40_4G_20GB("40gb", "4g.20gb", 4, 4, 1, 0),
    P40_7G_40GB("40gb", "7g.40gb", 7, 8, 1, 0),
    // A100-80GB and H100-80GB share the same profile table; memory in eighths of the GPU's (its memory slices)
    P80_1G_10GB("80gb", "1g.10gb", 1, 1, 7, 0, 1, 2, 3, 4, 5, 6),
    P80_1G_20GB("80gb", "1g.20gb", 1, 2, 4, 0, 2, 4, 6),
    P80_2G_20GB("80gb", "2g.20gb", 2, 2, 3, 0, 2, 4),
    P80_3G_40GB("80gb", "3g.40gb", 3, 4, 2, 0, 4),
    P80_4G_40GB("80gb", "4g.40gb", 4, 4, 1, 0),
    P80_7G_80GB("80gb", "7g.80gb", 7, 8, 1, 0),
    // H100 NVL (94 GB): its own names (MIG user guide: 1g.12gb x7, 1g.24gb x4, 2g.24gb x3, 3g.47gb x2, 4g.47gb x1,
    // 7g.94gb x1; nvidia-smi mig -lgipp on it lists the placements above); it fell into the 80 GB table, 10 GB slices
    P94_1G_12GB("94gb", "1g.12gb", 1, 1, 7, 0, 1, 2, 3, 4, 5, 6),
    P94_1G_24GB("94gb", "1g.24gb", 1, 2, 4, 0, 2, 4, 6),
    P94_2G_24GB("94gb", "2g.24gb", 2, 2, 3, 0, 2, 4),
    P94_3G_47GB("94gb", "3g.47gb", 3, 4, 2, 0, 4),
    P94_4G_47GB("94gb", "4g.47gb", 4, 4, 1, 0),
    P94_7G_94GB("94gb", "7g.94gb", 7, 8, 1, 0),
    // H100 96 GB (GH200 96 GB; the H20 96 GB has the same table): 1g.12gb x7, 1g.24gb x4, 2g.24gb x3, 3g.48gb x2,
    // 4g.48gb x1, 7g.96gb x1, the same Hopper geometry
    P96_1G_12GB("96gb", "1g.12gb", 1, 1, 7, 0, 1, 2, 3, 4, 5, 6),
    P96_1G_24GB("96gb", "1g.24gb", 1, 2, 4, 0, 2, 4, 6),
    P96_2G_24GB("96gb", "2g.24gb", 2, 2, 3, 0, 2, 4),
    P96_3G_48GB("96gb", "3g.48gb", 3, 4, 2, 0, 4),
    P96_4G_48GB("96gb", "4g.48gb", 4, 4, 1, 0),
    P96_7G_96GB("96gb", "7g.96gb", 7, 8, 1, 0),
    // H200-141GB: the names round the eighths of 141 GB (3g.71gb holds 4/8 = 70.5 GB, two to a GPU)
    P141_1G_18GB("141gb", "1g.18gb", 1, 1, 7, 0, 1, 2, 3, 4, 5, 6),
    P141_1G_35GB("141gb", "1g.35gb", 1, 2, 4, 0, 2, 4, 6),
    P141_2G_35GB("141gb", "2g.35gb", 2, 2, 3, 0, 2, 4),
    P141_3G_71GB("141gb", "3g.71gb", 3, 4, 2, 0, 4),
    P141_4G_71GB("141gb", "4g.71gb", 4, 4, 1, 0),
    P141_7G_141GB("141gb", "7g.141gb", 7, 8, 1, 0);

    /** Memory slices of a GPU, the axis placements are counted on. */
    public static final int MEMORY_SLICES = 8;

    private final String gpuFamily;
    private final String id;
    private final int computeSlices;
    private final int memoryEighths;
    private final int maxInstances;
    private final int[] placements;

    MigProfile(String gpuFamily, String id, int computeSlices, int memoryEighths, int maxInstances, int... placements) {
        this.gpuFamily = gpuFamily;
        this.id = id;
        this.computeSlices = computeSlices;
        this.memoryEighths = memoryEighths;
        this.maxInstances = maxInstances;
        this.placements = placements;
        for (int start : placements)
            if (start < 0 || start + memoryEighths > MEMORY_SLICES) throw new IllegalStateException(id + ": placement " + start + " off the GPU");
    }

    public String id() { return id; }
    public int computeSlices() { return computeSlices; }
    /**
     * The memory it holds: its memory slices, eighths of the GPU's memory (NVIDIA's "fraction of memory"), not
     * the rounded figure in its name, so the instances a GPU holds never add up to more than the GPU has.
     */
    public long memoryBytes() { return familyMemoryBytes() / 8 * memoryEighths; }

    private long familyMemoryBytes() {
        return switch (gpuFamily) {
            case "141gb" -> 141_000_000_000L;
            case "96gb" -> 96_000_000_000L;
            case "94gb" -> 94_000_000_000L;
            case "40gb" -> 40_000_000_000L;
            default -> 80_000_000_000L;
        };
    }
    public int maxInstances() { return maxInstances; }

    /** Memory slices an instance occupies (out of {@link #MEMORY_SLICES}). */
    public int memorySlices() { return memoryEighths; }

    /** How many placements the profile has on a GPU. */
    public int placementCount() { return placements.length; }

    /** The memory slice the {@code k}-th placement starts at (in increasing order). */
    public int placement(int k) { return placements[k]; }

    /** Whether an instance may start at memory slice {@code start}. */
    public boolean placeableAt(int start) {
        for (int p : placements) if (p == start) return true;
        return false;
    }

    /** The memory slices an instance starting at {@code start} occupies, as a bit mask (bit i = slice i). */
    public int sliceMask(int start) {
        return ((1 << memoryEighths) - 1) << start;
    }

    /**
     * Profiles offered by a GPU with this much memory, smallest first: the 40 GB A100, the 80 GB class (A100/H100), the
     * H100 NVL's 94 GB, the H100's 96 GB (GH200) and the 141 GB class (H200); none for other sizes. Each class is its
     * figure written in GB (10^9 bytes) and what the GPU reports, in MiB or GiB: an A100-40GB reports 40,960 MiB
     * (42.9 GB), an 80 GB H100 81,559 MiB (85.5 GB), an H100 NVL 95,830 MiB (100.5 GB; 94 GiB is 100.9 GB), a GH200's
     * H100 97,871 MiB (102.6 GB; 96 GiB is 103.1 GB). 48 GB (L40S, A40) and 24 GB (L4) GPUs have no MIG. A 94 GB H100
     * NVL took the 80 GB table (1g.10gb slices) and was refused its own profile names.
     */
    public static List<MigProfile> forGpuMemory(long gpuMemoryBytes) {
        String family = family(gpuMemoryBytes);
        List<MigProfile> out = new ArrayList<>();
        if (family == null) return out;
        for (MigProfile p : values()) if (p.gpuFamily.equals(family)) out.add(p);
        return out;
    }

    private static String family(long b) {
        if (b >= 120_000_000_000L) return "141gb";
        if (b >= 104_000_000_000L) return null;                                  // no MIG GPU of that size
        if (b >= 101_500_000_000L || (b >= 95_000_000_000L && b < 99_000_000_000L)) return "96gb";
        if (b >= 90_000_000_000L) return "94gb";                                 // 90..95 GB, 99..101.5 GB
        if (b >= 70_000_000_000L) return "80gb";
        if (b >= 40_000_000_000L && b < 44_000_000_000L) return "40gb";
        return null;
    }

    /** The smallest profile on that GPU holding {@code memoryBytes} and {@code slices} compute slices, or null. */
    public static MigProfile smallestFitting(long gpuMemoryBytes, long memoryBytes, int slices) {
        MigProfile best = null;
        for (MigProfile p : forGpuMemory(gpuMemoryBytes)) {
            if (p.memoryBytes() >= memoryBytes && p.computeSlices >= slices
                    && (best == null || p.computeSlices < best.computeSlices
                        || (p.computeSlices == best.computeSlices && p.memoryEighths < best.memoryEighths))) best = p;
        }
        return best;
    }

    /**
     * The instance a replica gets on such a GPU: its named profile, else the smallest one with its memory and
     * the compute slices its compute share needs (half a GPU: a 4g slice, not a 1g one); null if none holds it.
     */
    public static MigProfile forNeeds(long gpuMemoryBytes, io.prescale.core.model.ResourceNeeds needs) {
        if (needs.migProfile() != null) return byId(gpuMemoryBytes, needs.migProfile());
        int slices = Math.max(1, (int) Math.ceil(needs.gpuComputeShare() * 7 - 1e-9));
        return smallestFitting(gpuMemoryBytes, needs.gpuMemoryBytes(), slices);
    }

    /** How many instances of this profile one GPU holds: its instance limit, and seven compute slices in all. */
    public int perGpu() {
        return Math.min(maxInstances, 7 / computeSlices);
    }

    public static MigProfile byId(long gpuMemoryBytes, String id) {
        for (MigProfile p : forGpuMemory(gpuMemoryBytes)) if (p.id.equals(id)) return p;
        throw new IllegalArgumentException("no MIG profile '" + id + "' on a " + gpuMemoryBytes / 1_000_000_000L + " GB GPU (its profiles: "
                + forGpuMemory(gpuMemoryBytes).stream().map(MigProfile::id).toList() + ")");
    }
}
