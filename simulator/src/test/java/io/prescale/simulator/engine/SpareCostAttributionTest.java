package io.prescale.simulator.engine;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.policy.Decision;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.cluster.SimulatedCluster;
import io.prescale.simulator.metrics.RunResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * A node's time with no replica on it (a spare the policy keeps, a warm node, one draining after its last replica
 * left) is shared among its pool's models in proportion to the cost their replicas were attributed over the same
 * report interval, so per-model costs add up to the bill.
 */
class SpareCostAttributionTest {

    private static ModelSpec model(String id, PoolShape pool) {
        return new ModelSpec(id, pool.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(pool.id(), LatencyProfile.linear(0.1, 0)), 1, Duration.ZERO, 10, Duration.ofSeconds(60),
                new Slo(Duration.ofSeconds(2), 0, 0.99), PriorityClass.NORMAL, Duration.ZERO, 0, 10);
    }

    @Test
    void spareNodeTimeGoesToThePoolsModelsByTheirUseInTheSameInterval() {
        // one exclusive A100 pool at P USD/h, held at 3 nodes for 2 hours (bill 6P), report rows of an hour.
        // hour 1: A and B one replica each, one spare node: A P + P/2, B P + P/2 (spare split 1:1)
        // hour 2: B scaled to 0, A keeps one: its node and B's old one are spare, 2P, all A's (B used none)
        // A = 1.5P + 3P = 4.5P, B = 1.5P; of which spare: A 0.5P + 2P = 2.5P, B 0.5P. Sum 6P = the bill.
        // (Split by the whole run's use instead, A 2 : B 1 of the 3P spare, it would read A 4P, B 2P.)
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        double p = a100.pricePerHour();
        List<ModelSpec> specs = List.of(model("A", a100), model("B", a100));
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), specs, SimulatedCluster.Gaps.NONE);
        SeriesRecorder rows = new SeriesRecorder(c, 0);
        c.setNow(0);
        c.applyAll(List.of(new Decision.ResizePool(a100.id(), 3), new Decision.ScaleModel("A", 1), new Decision.ScaleModel("B", 1)));
        c.warmStart();
        c.setNow(3600);
        c.apply(new Decision.ScaleModel("B", 0));
        rows.close(3600);
        rows.closeLast(7200);
        c.finish(7200);
        RunResult r = Results.of("x", Map.of(), c, specs, 7200, rows.rows(), 0);

        assertThat(r.totals().costUsd()).isCloseTo(6 * p, offset(1e-9));
        RunResult.Totals a = r.models().get(0), b = r.models().get(1);
        assertThat(a.costUsd()).isCloseTo(4.5 * p, offset(1e-9));
        assertThat(b.costUsd()).isCloseTo(1.5 * p, offset(1e-9));
        assertThat(a.spareUsd()).isCloseTo(2.5 * p, offset(1e-9));
        assertThat(b.spareUsd()).isCloseTo(0.5 * p, offset(1e-9));
        // GPU-hours the same way: 6 GPU-hours, A 4.5 (2.5 spare), B 1.5
        assertThat(a.gpuHours()).isCloseTo(4.5, offset(1e-9));
        assertThat(a.spareGpuHours()).isCloseTo(2.5, offset(1e-9));
        // the rows carry it too: hour 2's row of A is 3P, 2P of it spare
        RunResult.SeriesRow a2 = r.series().stream().filter(x -> x.model().equals("A") && x.start() == 3600).findFirst().orElseThrow();
        assertThat(a2.costUsd()).isCloseTo(3 * p, offset(1e-9));
        assertThat(a2.spareUsd()).isCloseTo(2 * p, offset(1e-9));
        // the ledger closes on the models alone
        assertThat(r.attribution().attributedUsd()).isCloseTo(6 * p, offset(1e-9));
        assertThat(r.attribution().unattributedUsd()).isZero();
        assertThat(r.attribution().spareUsd()).isCloseTo(3 * p, offset(1e-9));
        assertThat(r.attribution().closure()).isCloseTo(1.0, offset(1e-12));
    }

    @Test
    void anIntervalNoModelUsedCarriesItsSpareTimeToTheNextThatDoes() {
        // hour 1: only a spare node (P), no replica; hour 2: A one replica, the spare still there (2P):
        // hour 1's spare goes to hour 2's users: A = 3P, all of it in hour 2's row, 2P of it spare
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        double p = a100.pricePerHour();
        List<ModelSpec> specs = List.of(model("A", a100), model("B", a100));
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), specs, SimulatedCluster.Gaps.NONE);
        SeriesRecorder rows = new SeriesRecorder(c, 0);
        c.setNow(0);
        c.apply(new Decision.ResizePool(a100.id(), 1));
        c.warmStart();
        rows.close(3600);
        c.setNow(3600);
        c.applyAll(List.of(new Decision.ResizePool(a100.id(), 2), new Decision.ScaleModel("A", 1)));
        rows.closeLast(7200);
        c.finish(7200);
        RunResult r = Results.of("x", Map.of(), c, specs, 7200, rows.rows(), 0);
        assertThat(r.totals().costUsd()).isCloseTo(3 * p, offset(1e-9));
        assertThat(r.models().get(0).costUsd()).isCloseTo(3 * p, offset(1e-9));
        assertThat(r.models().get(0).spareUsd()).isCloseTo(2 * p, offset(1e-9));
        assertThat(r.models().get(1).costUsd()).isZero();
        assertThat(r.series().stream().filter(x -> x.start() == 0).mapToDouble(RunResult.SeriesRow::costUsd).sum()).isZero();
    }

    @Test
    void aPoolNoModelEverUsedIsSharedEvenlyAmongItsModels() {
        // warm capacity only (2 nodes, an hour): 2P, no replica ever: A and B P each
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        double p = a100.pricePerHour();
        List<ModelSpec> specs = List.of(model("A", a100), model("B", a100));
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), specs, SimulatedCluster.Gaps.NONE);
        SeriesRecorder rows = new SeriesRecorder(c, 0);
        c.setNow(0);
        c.apply(new Decision.ResizePool(a100.id(), 2));
        rows.closeLast(3600);
        c.finish(3600);
        RunResult r = Results.of("x", Map.of(), c, specs, 3600, rows.rows(), 0);
        assertThat(r.models().get(0).costUsd()).isCloseTo(p, offset(1e-9));
        assertThat(r.models().get(1).costUsd()).isCloseTo(p, offset(1e-9));
        assertThat(r.attribution().closure()).isCloseTo(1.0, offset(1e-12));
    }
}
