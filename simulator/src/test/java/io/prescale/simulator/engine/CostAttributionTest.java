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
            // the ledger closes: attributed + unattributed = bill (rounding only)
            assertThat(r.attribution().closure()).as(policy).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            // no warm pool here, so every dollar lands on a model: within 1 % of the bill
            assertThat(perModel).as(policy).isCloseTo(r.attribution().billUsd(), org.assertj.core.data.Percentage.withPercentage(1));
            assertThat(r.attribution().unattributedUsd()).as(policy).isZero();
            // idle GPU memory: the models' parts add up, and no more is held than the GPUs billed have (80 GB each)
            double idle = r.models().stream().mapToDouble(RunResult.Totals::idleGpuMemoryGbHours).sum();
            assertThat(r.totals().idleGpuMemoryGbHours()).as(policy).isCloseTo(idle, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(idle).as(policy).isPositive().isLessThanOrEqualTo(80 * r.totals().gpuHours());
        }
    }

    @Test
    void idleGpuMemoryIsHeldMemoryTimeLessServingTime() {
        // 2 replicas of 10 GB held for an hour = 72,000 GB-s; they served 1,800 replica-seconds = 18,000 GB-s:
        // (72,000 - 18,000) / 3,600 = 15 GB-hours idle
        var m = new io.prescale.simulator.metrics.ModelMetrics();
        m.residentGpuByteSeconds = 2 * 10e9 * 3600;
        m.busySeconds = 1800;
        assertThat(Results.idleGpuMemoryGbHours(m, 10_000_000_000L)).isCloseTo(15.0, org.assertj.core.data.Offset.offset(1e-9));
    }
}
