package io.prescale.simulator.engine;

import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.simulator.metrics.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-model costs add up to the pool bill, whatever the GPU sharing mode (shared GPUs split by share and time). */
class CostAttributionTest {

    @ParameterizedTest
    @EnumSource(SharingMode.class)
    void perModelCostsSumToThePoolBill(SharingMode mode) {
        SimulationSetup base = SimulationEndToEndTest.setup(SimulationEndToEndTest.SYNTHETIC, 0, 6 * 3600, 0.1, 3);
        Map<String, PoolShape> pools = new LinkedHashMap<>(base.pools());
        pools.replaceAll((k, v) -> v.supports(mode) ? v.withSharing(mode) : v);
        // MIG exists only on 80 GB-class GPUs: move the models (12 GB each) onto the A100 pool for every mode
        PoolShape a100 = io.prescale.simulator.catalog.ModelCatalog.builtinPools().get("a100-80gb").withSharing(mode);
        pools.put(a100.id(), a100);
        var models = base.models().stream().map(m -> m.withPool(a100.id(), m.latency())).toList();
        SimulationSetup s = new SimulationSetup(base.workload(), base.from(), base.to(), models, pools, base.rateScale(),
                base.seed(), base.reportInterval(), base.costModel(), base.forecasters(), 0, 1);
        for (String policy : new String[]{"reactive.hpa", "keepalive.fixed", "oracle"}) {
            RunResult r = SimulationEndToEndTest.run(s, policy);
            double perModel = r.models().stream().mapToDouble(RunResult.Totals::costUsd).sum();
            assertThat(r.attribution().billUsd()).as(policy).isEqualTo(r.totals().costUsd());
            assertThat(r.attribution().billUsd()).as(policy).isGreaterThan(0);
            // the ledger closes on the models: their costs = the bill (rounding only)
            assertThat(r.attribution().closure()).as(policy).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            // every dollar lands on a model: within 1 % of the bill
            assertThat(perModel).as(policy).isCloseTo(r.attribution().billUsd(), org.assertj.core.data.Percentage.withPercentage(1));
            assertThat(r.attribution().unattributedUsd()).as(policy).isZero();
            // idle GPU memory: the models' parts add up, and no more is held than the GPUs billed have (80 GB each)
            double idle = r.models().stream().mapToDouble(RunResult.Totals::idleGpuMemoryGbHours).sum();
            assertThat(r.totals().idleGpuMemoryGbHours()).as(policy).isCloseTo(idle, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(idle).as(policy).isPositive().isLessThanOrEqualTo(80 * r.totals().gpuHours());
        }
    }

    @Test
    void spareNodesAPolicyKeepsAreSharedAmongTheModelsSoTheirCostsStillAddUpToTheBill() {
        // predictive.headroom with 2 spare nodes per pool: nodes with no replica most of the time. Their bill went to
        // "unattributed", and the models' costs summed to less than the bill
        SimulationSetup s = SimulationEndToEndTest.setup(SimulationEndToEndTest.SYNTHETIC, 0, 6 * 3600, 0.1, 3);
        RunResult r = new Simulation(s).run("predictive.headroom", Map.of("spareNodes", 2), Simulation.Progress.NONE);
        double perModel = r.models().stream().mapToDouble(RunResult.Totals::costUsd).sum();
        double spare = r.models().stream().mapToDouble(RunResult.Totals::spareUsd).sum();
        assertThat(spare).isGreaterThan(0.1 * r.attribution().billUsd());
        assertThat(perModel).isCloseTo(r.attribution().billUsd(), org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(r.attribution().spareUsd()).isCloseTo(spare, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.attribution().closure()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        // the rows add up to the totals, model by model
        for (RunResult.Totals t : r.models())
            assertThat(r.series().stream().filter(x -> x.model().equals(t.model())).mapToDouble(RunResult.SeriesRow::costUsd).sum())
                    .as(t.model()).isCloseTo(t.costUsd(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void idleGpuMemoryIsHeldMemoryTimeLessServingTime() {
        // 2 replicas of 10 GB held for an hour = 72,000 GB-s; they served 1,800 replica-seconds = 18,000 GB-s:
        // (72,000 - 18,000) / 3,600 = 15 GB-hours idle
        var m = new io.prescale.simulator.metrics.ModelMetrics();
        m.residentGpuByteSeconds = 2 * 10e9 * 3600;
        m.busyGpuByteSeconds = 1800 * 10e9;
        assertThat(Results.idleGpuMemoryGbHours(m)).isCloseTo(15.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aBusyMigReplicaHoldsItsWholeSliceAndIdlesNoneOfIt() {
        // a 16 GB model needing half the SMs gets a 4g.40gb slice of an A100-80GB; one replica held 1,000 s (warm
        // from t = 0), serving one 100 s request: idle = 40 GB x (1,000 - 100) s = 36,000 GB-s = 10 GB-hours.
        // Subtracting the model's 16 GB for the busy time left 40 x 1,000 - 16 x 100 = 38,400 GB-s (10.67 GB-h)
        PoolShape a100 = io.prescale.simulator.catalog.ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.MIG);
        var c = oneRequestAtTenSeconds(a100);
        c.finish(1000);
        var m = c.server(0).metrics;
        assertThat(m.busySeconds).isCloseTo(100, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Results.idleGpuMemoryGbHours(m)).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @ParameterizedTest
    @EnumSource(value = io.prescale.core.resource.MigProfile.class, names = "P80_.*", mode = EnumSource.Mode.MATCH_ANY)
    void aReplicaOnGpusFullOfItsMigProfileIsBilledWhatTheBudgetPricesIt(io.prescale.core.resource.MigProfile profile) {
        // two GPUs full of one profile (perGpu instances each) for an hour: the bill per replica is the GPU's price
        // over the instances a GPU holds (1g.20gb: four by memory, a quarter each, not a seventh), and that is the
        // price predictive.budget pays for one (ReplicaFootprint.pricePerHour)
        PoolShape a100 = io.prescale.simulator.catalog.ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.MIG);
        var needs = new io.prescale.core.model.ResourceNeeds(1, 0, 5_000_000_000L, 0.1, profile.id());
        var spec = new io.prescale.core.model.ModelSpec("m", a100.id(), needs, Map.of(a100.id(), io.prescale.core.model.LatencyProfile.linear(1, 0)),
                1, java.time.Duration.ZERO, 10, java.time.Duration.ofSeconds(60), new io.prescale.core.model.Slo(java.time.Duration.ofSeconds(2), 0, 0.99),
                io.prescale.core.model.PriorityClass.NORMAL, java.time.Duration.ofSeconds(20), 0, 100);
        var c = new io.prescale.simulator.cluster.SimulatedCluster(java.time.Instant.EPOCH, java.util.List.of(a100), java.util.List.of(spec), io.prescale.simulator.cluster.SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        int replicas = 2 * profile.perGpu();
        c.apply(new io.prescale.core.policy.Decision.ScaleModel("m", replicas));
        c.finish(3600);
        assertThat(c.pools().iterator().next().activeNodes()).as(profile.id()).hasSize(2);
        double billPerReplica = c.pools().iterator().next().costUsd(3600) / replicas;
        assertThat(c.server(0).metrics.costUsd / replicas).as(profile.id()).isCloseTo(billPerReplica, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(io.prescale.core.resource.ReplicaFootprint.pricePerHour(a100, needs)).as(profile.id())
                .isCloseTo(billPerReplica, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theCostPerHourAPolicySeesCountsANodeBilledWhileItsLastBatchEnds() {
        // one exclusive A100 at its catalog price; a 100 s request starts at 10 s; the model is scaled to zero at 20 s:
        // the GPU is released when the batch ends, at 110 s, and billed until then. The budget policy follows this
        // figure as the bill; it read 0 while the bill still ran
        PoolShape a100 = io.prescale.simulator.catalog.ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        var c = oneRequestAtTenSeconds(a100);
        c.server(0).drain(20);                       // dispatched at 10, runs until 110
        c.setNow(20);
        c.apply(new io.prescale.core.policy.Decision.ScaleModel("m", 0));
        var pool = c.pools().iterator().next();
        assertThat(pool.activeNodes()).isEmpty();    // released, at 110
        assertThat(c.observe(java.time.Instant.EPOCH.plusSeconds(30)).pools().get(0).costPerHour()).isEqualTo(a100.pricePerHour());
        assertThat(c.observe(java.time.Instant.EPOCH.plusSeconds(120)).pools().get(0).costPerHour()).isZero();
        assertThat(pool.costUsd(120)).isCloseTo(110 / 3600.0 * a100.pricePerHour(), org.assertj.core.data.Offset.offset(1e-9));
    }

    /** {@link #hundredSecondJobs} on {@code pool}: one replica, warm from t = 0, and its one request arriving at 10 s. */
    private static io.prescale.simulator.cluster.SimulatedCluster oneRequestAtTenSeconds(PoolShape pool) {
        var c = new io.prescale.simulator.cluster.SimulatedCluster(java.time.Instant.EPOCH, java.util.List.of(pool),
                java.util.List.of(hundredSecondJobs(pool)), io.prescale.simulator.cluster.SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.apply(new io.prescale.core.policy.Decision.ScaleModel("m", 1));
        c.warmStart();
        c.server(0).arrive(10, 100f);
        return c;
    }

    /** A 16 GB model needing half the SMs on {@code pool}: one 100 s request per batch, 200 s SLO, 20 s load, one replica at most. */
    private static io.prescale.core.model.ModelSpec hundredSecondJobs(PoolShape pool) {
        return new io.prescale.core.model.ModelSpec("m", pool.id(), new io.prescale.core.model.ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(pool.id(), io.prescale.core.model.LatencyProfile.linear(100, 0)), 1, java.time.Duration.ZERO, 10,
                java.time.Duration.ofSeconds(600), new io.prescale.core.model.Slo(java.time.Duration.ofSeconds(200), 0, 0.99),
                io.prescale.core.model.PriorityClass.NORMAL, java.time.Duration.ofSeconds(20), 0, 1);
    }
}
