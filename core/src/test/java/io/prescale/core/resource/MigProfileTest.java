package io.prescale.core.resource;

import io.prescale.core.model.ResourceNeeds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MIG instance a replica gets and how many fit on one GPU (NVIDIA's A100/H100 80 GB table). */
class MigProfileTest {
    static final long GB = 1_000_000_000L;

    @Test
    void halfAGpuOfComputeTakesA4gSliceAloneOnItsGpu() {
        // 0.5 x 7 = 3.5 -> 4 slices: 4g.40gb, one per GPU (its limit is 1, and 4 + 4 > 7 slices)
        MigProfile p = MigProfile.forNeeds(80 * GB, new ResourceNeeds(4, 0, 16 * GB, 0.5, null));
        assertThat(p.id()).isEqualTo("4g.40gb");
        assertThat(p.perGpu()).isEqualTo(1);
    }

    @Test
    void aSmallModelTakesA1gSliceSevenToAGpu() {
        // 0.1 x 7 = 0.7 -> 1 slice, 8 GB fits 10 GB: 1g.10gb, seven per GPU
        MigProfile p = MigProfile.forNeeds(80 * GB, new ResourceNeeds(1, 0, 8 * GB, 0.1, null));
        assertThat(p.id()).isEqualTo("1g.10gb");
        assertThat(p.perGpu()).isEqualTo(7);
        // 3g.40gb: 2 per GPU (its limit, and 3 + 3 <= 7)
        assertThat(MigProfile.forNeeds(80 * GB, new ResourceNeeds(1, 0, 8 * GB, 0.1, "3g.40gb")).perGpu()).isEqualTo(2);
        // no MIG on a 24 GB GPU
        assertThat(MigProfile.forNeeds(24 * GB, new ResourceNeeds(1, 0, 8 * GB, 0.1, null))).isNull();
    }

    @Test
    void theInstancesAGpuHoldsFitItsMemory() {
        // perGpu is what packing and pricing count per GPU; the simulator also never places past a GPU's memory,
        // so both must agree: H200's 3g.71gb was 71 GB, and two (142 GB) did not fit the 141 GB its table allows
        for (long gpu : new long[]{80 * GB, 141 * GB})
            for (MigProfile p : MigProfile.forGpuMemory(gpu))
                assertThat(p.perGpu() * p.memoryBytes()).as(p.id()).isLessThanOrEqualTo(gpu);
        assertThat(MigProfile.byId(141 * GB, "3g.71gb").memoryBytes()).isEqualTo(70_500_000_000L);
        assertThat(MigProfile.byId(80 * GB, "3g.40gb").memoryBytes()).isEqualTo(40 * GB);
    }

    @Test
    void placementsAreNvidiasTableAndNeverLeaveTheGpu() {
        // nvidia-smi mig -lgipp on an H100/A100 80 GB: {0..6}:1, {0,2,4,6}:2, {0,2,4}:2, {0,4}:4, {0}:4, {0}:8
        assertThat(placements(MigProfile.P80_1G_10GB)).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(placements(MigProfile.P80_1G_20GB)).containsExactly(0, 2, 4, 6);
        assertThat(placements(MigProfile.P80_2G_20GB)).containsExactly(0, 2, 4);
        assertThat(placements(MigProfile.P80_3G_40GB)).containsExactly(0, 4);
        assertThat(placements(MigProfile.P80_4G_40GB)).containsExactly(0);
        assertThat(placements(MigProfile.P80_7G_80GB)).containsExactly(0);
        assertThat(MigProfile.P80_3G_40GB.placeableAt(2)).isFalse();
        assertThat(MigProfile.P80_3G_40GB.sliceMask(4)).isEqualTo(0b1111_0000);
        for (MigProfile p : MigProfile.values()) {
            // as many placements as instances a GPU holds, and the H200 table has the same geometry
            assertThat(p.placementCount()).as(p.id()).isEqualTo(p.maxInstances());
            for (int k = 0; k < p.placementCount(); k++)
                assertThat(p.placement(k) + p.memorySlices()).isLessThanOrEqualTo(MigProfile.MEMORY_SLICES);
        }
        assertThat(placements(MigProfile.P141_3G_71GB)).containsExactly(0, 4);
    }

    static java.util.List<Integer> placements(MigProfile p) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int k = 0; k < p.placementCount(); k++) out.add(p.placement(k));
        return out;
    }

    @Test
    void anA100With40GbHasItsOwnMigTable() {
        // NVIDIA's A100-SXM4-40GB table: 1g.5gb x7, 1g.10gb x4, 2g.10gb x3, 3g.20gb x2, 4g.20gb x1, 7g.40gb x1 (the same
        // profile IDs and placements as the 80 GB table). It was refused: "mig needs an 80 GB (A100/H100) or 141 GB GPU"
        for (long gpu : new long[]{40 * GB, 40L << 30}) {
            assertThat(MigProfile.forGpuMemory(gpu)).extracting(MigProfile::id)
                    .containsExactly("1g.5gb", "1g.10gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb");
            for (MigProfile p : MigProfile.forGpuMemory(gpu)) assertThat(p.perGpu() * p.memoryBytes()).as(p.id()).isLessThanOrEqualTo(gpu);
        }
        assertThat(MigProfile.byId(40 * GB, "1g.10gb").perGpu()).isEqualTo(4);   // two memory slices here, one on 80 GB
        assertThat(MigProfile.byId(80 * GB, "1g.10gb").perGpu()).isEqualTo(7);
        assertThat(MigProfile.byId(40 * GB, "1g.5gb").memoryBytes()).isEqualTo(5 * GB);
        // 8 GB at a tenth of the SMs: 1g.10gb; half the SMs: 4g.20gb
        assertThat(MigProfile.forNeeds(40 * GB, new ResourceNeeds(1, 0, 8 * GB, 0.1, null)).id()).isEqualTo("1g.10gb");
        assertThat(MigProfile.forNeeds(40 * GB, new ResourceNeeds(1, 0, 8 * GB, 0.5, null)).id()).isEqualTo("4g.20gb");
        assertThat(new PoolShape("a100-40gb", "A100-SXM4-40GB", 1, 40 * GB, 12, 0, 4.1, java.time.Duration.ofMinutes(3), SharingMode.MIG, 0, 10, "t")
                .supports(SharingMode.MIG)).isTrue();
        // 48 GB (L40S, A40) and 24 GB (L4) GPUs have no MIG
        assertThat(MigProfile.forGpuMemory(48 * GB)).isEmpty();
        assertThat(MigProfile.forGpuMemory(24 * GB)).isEmpty();
    }

    @Test
    void anH100NvlAndAGh200HaveTheirOwnMigTables() {
        // the MIG user guide's H100 NVL (94 GB) table: 1g.12gb x7, 1g.24gb x4, 2g.24gb x3, 3g.47gb x2, 4g.47gb x1, 7g.94gb x1;
        // the H100 96 GB of a GH200: the same with 3g.48gb, 4g.48gb, 7g.96gb. Both took the 80 GB table: 1g.10gb slices
        // of 10 GB, and "1g.12gb" refused. Each as written in GB and as the GPU reports it (MiB), and in GiB.
        for (long nvl : new long[]{94 * GB, 95_830L << 20, 94L << 30}) {
            assertThat(MigProfile.forGpuMemory(nvl)).as("" + nvl).extracting(MigProfile::id)
                    .containsExactly("1g.12gb", "1g.24gb", "2g.24gb", "3g.47gb", "4g.47gb", "7g.94gb");
            assertThat(MigProfile.forGpuMemory(nvl)).extracting(MigProfile::perGpu).containsExactly(7, 4, 3, 2, 1, 1);
            for (MigProfile p : MigProfile.forGpuMemory(nvl)) assertThat(p.perGpu() * p.memoryBytes()).as(p.id()).isLessThanOrEqualTo(nvl);
        }
        for (long gh : new long[]{96 * GB, 97_871L << 20, 96L << 30}) {
            assertThat(MigProfile.forGpuMemory(gh)).as("" + gh).extracting(MigProfile::id)
                    .containsExactly("1g.12gb", "1g.24gb", "2g.24gb", "3g.48gb", "4g.48gb", "7g.96gb");
            for (MigProfile p : MigProfile.forGpuMemory(gh)) assertThat(p.perGpu() * p.memoryBytes()).as(p.id()).isLessThanOrEqualTo(gh);
        }
        // a slice is an eighth of the GPU: 94 / 8 = 11.75 GB (named 12gb), 96 / 8 = 12 GB; 3g.47gb holds 4/8 x 94 = 47 GB
        assertThat(MigProfile.byId(94 * GB, "1g.12gb").memoryBytes()).isEqualTo(11_750_000_000L);
        assertThat(MigProfile.byId(96 * GB, "1g.12gb").memoryBytes()).isEqualTo(12 * GB);
        assertThat(MigProfile.byId(94 * GB, "3g.47gb").memoryBytes()).isEqualTo(47 * GB);
        // 11 GB at a tenth of the SMs: 1g.12gb (a 1g.10gb, 10 GB, on the 80 GB table it fell into, could not hold it)
        assertThat(MigProfile.forNeeds(94 * GB, new ResourceNeeds(1, 0, 11 * GB, 0.1, null)).id()).isEqualTo("1g.12gb");
        assertThatThrownBy(() -> MigProfile.byId(94 * GB, "1g.10gb")).hasMessageContaining("no MIG profile '1g.10gb' on a 94 GB GPU")
                .hasMessageContaining("1g.12gb");
        // the 80 GB class stays itself: what an 80 GB H100 reports, and 80 GiB
        assertThat(MigProfile.forGpuMemory(81_559L << 20)).extracting(MigProfile::id).startsWith("1g.10gb");
        assertThat(MigProfile.forGpuMemory(80L << 30)).extracting(MigProfile::id).startsWith("1g.10gb");
        // no MIG GPU between 104 and 120 GB: no table rather than the 80 GB one
        assertThat(MigProfile.forGpuMemory(110 * GB)).isEmpty();
    }
}
