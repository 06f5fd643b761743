package io.prescale.core.resource;

import io.prescale.core.model.ResourceNeeds;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The part of a node one replica is billed for, and its price per hour, in every sharing mode (hand arithmetic). */
class ReplicaFootprintTest {
    static final long GB = 1_000_000_000L;

    private static PoolShape gpu(int gpusPerNode, long memory, double price, SharingMode mode) {
        return new PoolShape("p", "test", gpusPerNode, memory, 16, 0, price, Duration.ofSeconds(180), mode, 0, 100, "test");
    }

    /** 10 GB of GPU memory, half a GPU's SMs, one core. */
    private static final ResourceNeeds NEEDS = new ResourceNeeds(1, 0, 10 * GB, 0.5, null);

    @Test
    void exclusiveReplicaHoldsAndPaysForTheWholeNode() {
        // one A100 of p4de.24xlarge ($40.96/h for 8 GPUs) as the catalogs declare it: one node = one GPU at 40.96 / 8 = 5.12
        assertThat(ReplicaFootprint.pricePerHour(gpu(1, 80 * GB, 40.96 / 8, SharingMode.EXCLUSIVE), NEEDS)).isCloseTo(5.12, within(1e-9));
        // a node declared with 8 GPUs: an exclusive replica is packed alone on it, so it pays all 40.96
        ReplicaFootprint f = ReplicaFootprint.of(gpu(8, 80 * GB, 40.96, SharingMode.EXCLUSIVE), NEEDS);
        assertThat(f.share()).isEqualTo(1.0);
        assertThat(f.memoryBytes()).isEqualTo(10 * GB);
    }

    @Test
    void migReplicaIsBilledItsComputeSlicesOutOfSevenAndPricedByTheInstancesAGpuHolds() {
        // 0.5 x 7 = 3.5 -> 4 slices: 4g.40gb, 4/7 of the GPU's bill beside other instances (the split's share);
        // but a GPU holds one 4g.40gb, so GPUs full of them bill a whole GPU each: at 14 USD/h, 14 USD/h (not 8)
        PoolShape mig = gpu(1, 80 * GB, 14, SharingMode.MIG);
        ReplicaFootprint f = ReplicaFootprint.of(mig, NEEDS);
        assertThat(f.mig()).isEqualTo(MigProfile.P80_4G_40GB);
        assertThat(f.share()).isCloseTo(4 / 7.0, within(1e-12));
        assertThat(f.memoryBytes()).isEqualTo(40 * GB);
        assertThat(ReplicaFootprint.pricePerHour(mig, NEEDS)).isCloseTo(14.0, within(1e-9));
        // a named 1g.10gb instance: seven to a GPU, 1/7 of it, 2 USD/h; 1g.20gb: four (by memory), 3.5 USD/h
        assertThat(ReplicaFootprint.pricePerHour(mig, new ResourceNeeds(1, 0, 8 * GB, 0.1, "1g.10gb"))).isCloseTo(2.0, within(1e-9));
        assertThat(ReplicaFootprint.pricePerHour(mig, new ResourceNeeds(1, 0, 8 * GB, 0.1, "1g.20gb"))).isCloseTo(3.5, within(1e-9));
        // a named 1g.10gb for a 30 GB model: the instance cannot hold it (it reserved 10 GB and was priced at 2 USD/h)
        ReplicaFootprint tooSmall = ReplicaFootprint.of(mig, new ResourceNeeds(1, 0, 30 * GB, 0.1, "1g.10gb"));
        assertThat(tooSmall.fitsNowhere()).isTrue();
        assertThat(tooSmall.packingShare()).isEqualTo(1.0);
        assertThat(ReplicaFootprint.pricePerHour(mig, new ResourceNeeds(1, 0, 30 * GB, 0.1, "1g.10gb"))).isCloseTo(14.0, within(1e-9));
        // 100 GB fits no instance of an 80 GB GPU: no node holds it, and it is priced as a whole node
        ReplicaFootprint none = ReplicaFootprint.of(mig, new ResourceNeeds(1, 0, 100 * GB, 0.1, null));
        assertThat(none.fitsNowhere()).isTrue();
        assertThat(none.share()).isEqualTo(1.0);
    }

    @Test
    void packingShareCountsMigInstancesPerGpuNotSlices() {
        PoolShape mig = gpu(1, 80 * GB, 14, SharingMode.MIG);
        // 4g.40gb: 4 of 7 slices billed, but one instance per GPU: a whole GPU of room
        ReplicaFootprint half = ReplicaFootprint.of(mig, NEEDS);
        assertThat(half.packingShare()).isEqualTo(1.0);
        // 1g.20gb: 1 slice of 7, but four instances by memory (4 x 20 = 80 GB): a quarter of a GPU, not a seventh
        ReplicaFootprint small = ReplicaFootprint.of(mig, new ResourceNeeds(1, 0, 15 * GB, 0.1, null));
        assertThat(small.mig()).isEqualTo(MigProfile.P80_1G_20GB);
        assertThat(small.share()).isCloseTo(1 / 7.0, within(1e-12));
        assertThat(small.packingShare()).isEqualTo(0.25);
        // 2g.20gb: three to a GPU
        assertThat(ReplicaFootprint.of(mig, new ResourceNeeds(1, 0, 15 * GB, 0.25, null)).packingShare()).isCloseTo(1 / 3.0, within(1e-12));
        // no instance holds 100 GB: a whole node
        assertThat(ReplicaFootprint.of(mig, new ResourceNeeds(1, 0, 100 * GB, 0.1, null)).packingShare()).isEqualTo(1.0);
        // elsewhere it is the billed share: time slicing packs by memory alone (10/80), MPS by the larger share
        assertThat(ReplicaFootprint.of(gpu(1, 80 * GB, 8, SharingMode.TIME_SLICED), NEEDS).packingShare()).isEqualTo(0.125);
        assertThat(ReplicaFootprint.of(gpu(1, 80 * GB, 8, SharingMode.MPS), NEEDS).packingShare()).isEqualTo(0.5);
    }

    @Test
    void mpsReplicaPaysTheLargerOfItsComputeAndMemoryShare() {
        // compute 0.5 vs memory 10/80 = 0.125: 0.5 of the GPU; at 2 USD/h: 1 USD/h
        assertThat(ReplicaFootprint.pricePerHour(gpu(1, 80 * GB, 2, SharingMode.MPS), NEEDS)).isCloseTo(1.0, within(1e-9));
        // compute 0.1 vs memory 60/80 = 0.75: 0.75 of the GPU
        assertThat(ReplicaFootprint.of(gpu(1, 80 * GB, 2, SharingMode.MPS), new ResourceNeeds(1, 0, 60 * GB, 0.1, null)).share())
                .isCloseTo(0.75, within(1e-12));
    }

    @Test
    void timeSlicedReplicaPaysItsMemoryShare() {
        // time slicing reserves no SMs: memory alone, 10/80 = 0.125 of the GPU; at 8 USD/h: 1 USD/h
        assertThat(ReplicaFootprint.pricePerHour(gpu(1, 80 * GB, 8, SharingMode.TIME_SLICED), NEEDS)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void cpuReplicaPaysItsCores() {
        // 1 core of a 16-core VM at 1.6 USD/h: 0.1 USD/h
        PoolShape cpu = new PoolShape("c", "none", 0, 0, 16, 0, 1.6, Duration.ofSeconds(60), SharingMode.EXCLUSIVE, 0, 10, "test");
        assertThat(ReplicaFootprint.pricePerHour(cpu, NEEDS)).isCloseTo(0.1, within(1e-9));
    }
}
