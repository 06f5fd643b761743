package io.prescale.simulator.engine;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;
import io.prescale.core.policy.PoolObservation;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.cluster.SimulatedCluster;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.report.OutcomesTable;
import io.prescale.policies.PolicyCatalog;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

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
    void theShortfallReportedIsWhatTheBudgetPolicyHeldBack() {
        // predictive.budget at one tick (PredictiveBudgetPolicyTest.capHonouredAndHighPriorityServedFirst): "high" and
        // "low" each see 3,000 arrivals in a 30 s tick = 100 req/s, sized x 1.2 = 120 req/s; a replica (40 ms + 10 ms per
        // item, batches of 8) serves 8 / 0.12 = 66.7 req/s, at 0.8 utilisation 53.3: ceil(2.25) = 3 wanted each.
        // 6 x 2 USD/h = 12 > the cap of 8: 4 fit, "high" gets its 3, "low" 1: low held back 2, high none.
        // The cluster holds that for 1,800 s (the next tick asks nothing of the budget): low 2 x 1,800 s = 1.0
        // replica-hour short on the budget, high 0; nobody short on capacity (the pool has room for 1,000 nodes).
        PoolShape gpu = new PoolShape("gpu", "test", 1, 80_000_000_000L, 16, 0, 2.0, Duration.ofSeconds(180), SharingMode.EXCLUSIVE, 0, 1000, "test");
        ModelSpec high = fixture("high", PriorityClass.HIGH), low = fixture("low", PriorityClass.LOW);
        PolicyContext ctx = new PolicyContext(InstantSource.fixed(Instant.EPOCH), new SplittableRandom(7), Forecaster.none(),
                new CostModel(Map.of("gpu", 2.0), 0), Optional.empty());
        Policy budget = PolicyCatalog.create("predictive.budget", Map.of("maxCostPerHour", 8.0), ctx);
        Observation tick = new Observation(Instant.EPOCH.plusSeconds(30), Duration.ofSeconds(30), List.of(
                new ModelObservation(low, 3000, 0, 0, 0, 0.5, Double.NaN, Double.NaN, 1, 0, 0, 0, false),
                new ModelObservation(high, 3000, 0, 0, 0, 0.5, Double.NaN, Double.NaN, 1, 0, 0, 0, false)),
                List.of(new PoolObservation(gpu, 1, 0, 0, 80_000_000_000L, 2.0)));
        List<Decision> decisions = budget.decide(tick);
        assertThat(decisions).contains(new Decision.ScaleModel("high", 3), new Decision.ScaleModel("low", 1));
        Decision.NoOp note = decisions.stream().filter(d -> d instanceof Decision.NoOp).map(d -> (Decision.NoOp) d).findFirst().orElseThrow();
        assertThat(note.heldBack()).isEqualTo(Map.of("low", 2));
        assertThat(note.reason()).endsWith("short: low -2"); // the text for people says the same

        List<ModelSpec> specs = List.of(low, high);
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(gpu), specs, SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.applyAll(decisions);
        c.warmStart();
        c.setNow(1800);
        c.applyAll(List.of(new Decision.ScaleModel("high", 3), new Decision.ScaleModel("low", 1)));
        c.finish(3600);
        RunResult r = Results.of("x", Map.of(), c, specs, 3600, List.of(), 0);
        RunResult.ModelOutcome l = r.scheduling().models().stream().filter(o -> o.model().equals("low")).findFirst().orElseThrow();
        RunResult.ModelOutcome h = r.scheduling().models().stream().filter(o -> o.model().equals("high")).findFirst().orElseThrow();
        assertThat(l.budgetShortReplicaHours()).isCloseTo(1.0, offset(1e-9));
        assertThat(h.budgetShortReplicaHours()).isZero();
        assertThat(l.capacityShortReplicaHours()).isZero();
        assertThat(h.capacityShortReplicaHours()).isZero();
    }

    @Test
    void onlyWhatANoteHoldsBackCountsNotItsText() {
        // the note's text is for people: a text that reads like the budget's note, with nothing held back, charges nobody
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        List<ModelSpec> specs = List.of(model("A", a100, PriorityClass.NORMAL));
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), specs, SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.applyAll(List.of(new Decision.ScaleModel("A", 1), new Decision.NoOp("budget 5.0 USD/h binds; short: A -3")));
        c.warmStart();
        c.setNow(1800);
        c.applyAll(List.of(new Decision.ScaleModel("A", 1), new Decision.NoOp("anomaly hold", Map.of("A", 2))));
        c.finish(3600);
        RunResult r = Results.of("x", Map.of(), c, specs, 3600, List.of(), 0);
        // only the second half hour: 2 x 1,800 s = 1.0 replica-hour
        assertThat(r.scheduling().models().get(0).budgetShortReplicaHours()).isCloseTo(1.0, offset(1e-9));
    }

    /** PolicyFixtures' model on pool "gpu": 40 ms + 10 ms per item, batches of up to 8, SLO 500 ms, 60 s load. */
    private static ModelSpec fixture(String id, PriorityClass p) {
        return new ModelSpec(id, "gpu", new ResourceNeeds(1, 0, 10_000_000_000L, 0.5, null),
                Map.of("gpu", LatencyProfile.linear(0.04, 0.01)), 8, Duration.ofMillis(10), 10_000,
                Duration.ofSeconds(30), new Slo(Duration.ofMillis(500), 0, 0.99), p, Duration.ofSeconds(60), 0, 100);
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
        c.applyAll(List.of(new Decision.ScaleModel("A", 2), new Decision.NoOp("budget 5.0 USD/h binds; short: B -3", Map.of("B", 3))));
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
    }
}
