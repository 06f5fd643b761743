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
import io.prescale.simulator.cluster.PolicyNotes;
import io.prescale.simulator.cluster.SimulatedCluster;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.report.OutcomesTable;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** "When the cap binds, the report says who was short": each model's shortfall accumulated over the run. */
class ShortfallTest {

    private static ModelSpec model(String id, PoolShape pool, PriorityClass p) {
        return new ModelSpec(id, pool.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(pool.id(), LatencyProfile.linear(0.1, 0)), 1, Duration.ZERO, 10, Duration.ofSeconds(60),
                new Slo(Duration.ofSeconds(2), 0, 0.99), p, Duration.ZERO, 0, 10);
    }

    @Test
    void theBudgetNoteNamesEachModelAndTheReplicasHeldBack() {
        assertThat(PolicyNotes.shortOf("budget 120.0 USD/h binds; short: m-mid -1")).isEqualTo(Map.of("m-mid", 1));
        assertThat(PolicyNotes.shortOf("budget 29.0 USD/h binds (grants priced against 27.8: the bill ran over); short: M0001 -2 M0040 -1"))
                .containsExactly(Map.entry("M0001", 2), Map.entry("M0040", 1));
        assertThat(PolicyNotes.shortOf("anomaly hold")).isEmpty();
        assertThat(PolicyNotes.shortOf(null)).isEmpty();
    }

    @Test
    void budgetAndCapacityShortfallsArePerModelReplicaHours() {
        // one exclusive A100 pool of at most 1 node; A (normal) and B (high).
        // t = 0: A asks 2, the pool holds 1: A short 1 for capacity; the policy's note says its budget held back 3 of B's
        // t = 1800: B asks 1: the pool is full, so A's replica is preempted for B (A preempted 1); A short 2 from here;
        //           no note this tick, so B's budget shortfall ends
        // A: capacity 1 x 1800 + 2 x 1800 = 5400 s = 1.5 replica-hours; B: budget 3 x 1800 s = 1.5 replica-hours
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        PoolShape one = new PoolShape(a100.id(), a100.gpuType(), 1, a100.gpuMemoryBytes(), a100.cpuCores(), a100.hostMemoryBytes(),
                a100.pricePerHour(), a100.provisioningDelay(), a100.sharing(), 0, 1, "");
        List<ModelSpec> specs = List.of(model("A", one, PriorityClass.NORMAL), model("B", one, PriorityClass.HIGH));
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(one), specs, SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.applyAll(List.of(new Decision.ScaleModel("A", 2), new Decision.NoOp("budget 5.0 USD/h binds; short: B -3")));
        c.warmStart();
        c.setNow(1800);
        c.applyAll(List.of(new Decision.ScaleModel("A", 2), new Decision.ScaleModel("B", 1)));
        c.finish(3600);
        RunResult r = Results.of("x", Map.of(), c, specs, 3600, List.of(), 0);
        RunResult.ModelOutcome a = r.scheduling().models().get(0), b = r.scheduling().models().get(1);
        assertThat(a.model()).isEqualTo("A");
        assertThat(a.priority()).isEqualTo("normal");
        assertThat(a.capacityShortReplicaHours()).isCloseTo(1.5, offset(1e-9));
        assertThat(a.budgetShortReplicaHours()).isZero();
        assertThat(a.preempted()).isEqualTo(1);
        assertThat(b.priority()).isEqualTo("high");
        assertThat(b.budgetShortReplicaHours()).isCloseTo(1.5, offset(1e-9));
        assertThat(b.capacityShortReplicaHours()).isZero();
        assertThat(b.preempted()).isZero();

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        OutcomesTable.print(new PrintStream(buf, true, StandardCharsets.UTF_8), List.of(r));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("x: 2 of 2 models short");
        // rows: most short first; A's 1.5 capacity replica-hours and 1 preemption, B's 1.5 budget replica-hours
        assertThat(text).containsPattern("\\n  A +normal +0 +100\\.00% +0\\.0 +1\\.5 +1 +0 ");
        assertThat(text).containsPattern("\\n  B +high +0 +100\\.00% +1\\.5 +0\\.0 +0 +0 ");
        assertThat(OutcomesTable.html(List.of(r))).contains("<td>A</td><td>normal</td>").contains("<td>1.50</td><td>0.00</td><td>0</td><td>0</td>");
    }

    @Test
    void aBudgetThatBindsInARunIsChargedToTheModelsItHeldBack() {
        // the budget policy's own note, end to end: a cap of 1 USD/h on the synthetic workload binds all run
        SimulationSetup s = SimulationEndToEndTest.setup(SimulationEndToEndTest.SYNTHETIC, 0, 2 * 3600, 0.1, 3);
        RunResult r = new Simulation(s).run("predictive.budget", Map.of("maxCostPerHour", 1.0), Simulation.Progress.NONE);
        assertThat(r.scheduling().notedTicks()).isPositive();
        assertThat(r.scheduling().lastNote()).contains("short:");
        double budgetShort = r.scheduling().models().stream().mapToDouble(RunResult.ModelOutcome::budgetShortReplicaHours).sum();
        assertThat(budgetShort).isPositive();
        // every model the last note names was short at some point
        for (String m : PolicyNotes.shortOf(r.scheduling().lastNote()).keySet())
            assertThat(r.scheduling().models().stream().filter(o -> o.model().equals(m)).findFirst().orElseThrow().budgetShortReplicaHours())
                    .as(m).isPositive();
    }
}
