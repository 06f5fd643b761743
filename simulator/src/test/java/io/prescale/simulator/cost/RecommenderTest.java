package io.prescale.simulator.cost;

import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.engine.Simulation;
import io.prescale.simulator.engine.SimulationSetup;
import io.prescale.simulator.metrics.RunResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Recommendations carry predicted savings and are verified by re-simulation. */
class RecommenderTest {

    /** The synthetic workload's 4 models (12 GB each) on exclusive A100-80GB GPUs: a clear consolidation case. */
    private static SimulationSetup setupOnA100() {
        var w = io.prescale.simulator.workload.Workload.load("synthetic", new io.prescale.datasets.SyntheticTraceGenerator(
                io.prescale.datasets.SyntheticTraceGenerator.defaults(5).withSpan(Duration.ofHours(6))).intervalCounts());
        ModelCatalog cat = ModelCatalog.builtin("synthetic");
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb");
        Map<String, PoolShape> pools = new LinkedHashMap<>(cat.pools());
        pools.put(a100.id(), a100);
        var specs = w.models().stream().map(m -> cat.resolve(m).spec().withPool(a100.id(), cat.resolve(m).spec().latency())).toList();
        Map<String, Double> prices = new LinkedHashMap<>();
        pools.forEach((k, v) -> prices.put(k, v.pricePerHour()));
        return new SimulationSetup(w, 0, 6 * 3600, specs, pools, 0.05, 2, Duration.ofMinutes(15),
                new io.prescale.core.cost.CostModel(prices, 0), id -> io.prescale.core.forecast.Forecaster.none(), 0, 1);
    }

    @Test
    void consolidationIsRecommendedAndSavesMoneyWhenReplayed() {
        SimulationSetup s = setupOnA100();
        RunResult base = new Simulation(s).run("oracle", Map.of(), Simulation.Progress.NONE);
        List<Recommendation> recs = Recommender.recommend(s, base);
        Recommendation consolidate = recs.stream().filter(r -> r.kind().equals("consolidate")).findFirst().orElseThrow();
        // 12 GB and half a GPU's compute: under MIG that is a 4g.40gb slice, one per GPU (no saving); under MPS
        // a share of max(0.5 compute, 12/80 memory) = 0.5, two per GPU: predicted saving = cost x (1 - 0.5)
        assertThat(consolidate.target()).isEqualTo("a100-80gb");
        assertThat(consolidate.predictedSavingUsd()).isCloseTo(base.totals().costUsd() * 0.5, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(consolidate.apply().apply(s).pools().get("a100-80gb").sharing()).isEqualTo(SharingMode.MPS);

        List<RecommendationCheck.Outcome> out = RecommendationCheck.verify(s, "oracle", Map.of(), base, recs, 2);
        RecommendationCheck.Outcome o = out.stream().filter(x -> x.recommendation() == consolidate).findFirst().orElseThrow();
        assertThat(o.realisedSavingUsd()).isPositive();
        assertThat(o.sloAfter()).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void replicasThatNeverSitTogetherGetNoConsolidation() {
        SimulationSetup s = setupOnA100();
        RunResult base = new Simulation(s).run("oracle", Map.of(), Simulation.Progress.NONE);
        // the same bill, but each of the 4 models held a replica a quarter of the 6 hours (1.5 GPU-hours): one
        // replica at a time on average, each alone on its GPU, so sharing saves nothing
        List<RunResult.Totals> lone = base.models().stream().map(t -> new RunResult.Totals(t.model(), t.requests(), t.served(), t.dropped(),
                t.timedOut(), t.inFlight(), t.sloAttainment(), t.p50Ms(), t.p95Ms(), t.p99Ms(), 1.5, t.costUsd(), t.coldStarts(),
                t.meanUtilization(), t.idleGpuMemoryGbHours(), t.coldStartRequests())).toList();
        RunResult sparse = new RunResult(base.policy(), base.params(), base.totals(), lone, base.series(), base.wallSeconds(),
                base.invariants(), base.latencyCdf(), base.attribution(), base.scheduling());
        assertThat(Recommender.recommend(s, sparse)).noneMatch(r -> r.kind().equals("consolidate"));
        assertThat(Recommender.recommend(s, base)).anyMatch(r -> r.kind().equals("consolidate"));
    }

    @Test
    void aConsolidationSharesAGpuAsTheSimulatorWouldPackIt() {
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb");
        // 8 GB and a tenth of the SMs, but a named 2g.20gb instance: the simulator gives it that slice, three to a GPU,
        // so it takes a third of one; sized by its compute alone it was a 1g.10gb, a seventh, and over-predicted the saving
        var named = new io.prescale.core.model.ResourceNeeds(1, 0, 8_000_000_000L, 0.1, "2g.20gb");
        var base = ModelCatalog.builtin("synthetic").resolve("m-small").spec();
        var spec = base.withPool(a100.id(), base.latency());
        var m = new io.prescale.core.model.ModelSpec(spec.id(), a100.id(), named, spec.profiles(), spec.maxBatch(), spec.maxQueueDelay(),
                spec.queueCapacity(), spec.timeout(), spec.slo(), spec.priority(), spec.loadTime(), spec.minReplicas(), spec.maxReplicas());
        assertThat(Recommender.shareNeeded(m, a100, SharingMode.MIG)).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-12));
        // under MPS: the larger of 0.1 compute and 8/80 memory
        assertThat(Recommender.shareNeeded(m, a100, SharingMode.MPS)).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void aNamedMigInstanceTooSmallForTheModelIsNoConsolidation() {
        // 30 GB with a named 1g.10gb on an exclusive A100 pool (the catalog allows it: the pool runs no MIG): it was taken
        // as a seventh of a GPU, consolidation onto MIG was predicted to save 6/7 of its cost, and the re-simulation
        // placed 30 GB replicas in 10 GB instances
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb");
        var base = ModelCatalog.builtin("synthetic").resolve("m-small").spec();
        var spec = base.withPool(a100.id(), base.latency());
        var m = new io.prescale.core.model.ModelSpec(spec.id(), a100.id(), new io.prescale.core.model.ResourceNeeds(1, 0, 30_000_000_000L, 0.1, "1g.10gb"),
                spec.profiles(), spec.maxBatch(), spec.maxQueueDelay(), spec.queueCapacity(), spec.timeout(), spec.slo(), spec.priority(),
                spec.loadTime(), spec.minReplicas(), spec.maxReplicas());
        assertThat(Recommender.shareNeeded(m, a100, SharingMode.MIG)).isEqualTo(1.0);
        // MPS packs it by its memory: 30/80
        assertThat(Recommender.shareNeeded(m, a100, SharingMode.MPS)).isCloseTo(0.375, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void noMigConsolidationForAPoolWithAModelNoInstanceHolds() {
        // three models on named 1g.20gb instances (a quarter of a GPU each under MIG, 0.9 of its SMs under MPS) and one of
        // 30 GB whose named 1g.10gb cannot hold it: MIG was recommended for the pool on the three's saving, and the
        // re-simulation ran the fourth on a MIG pool where none of its replicas could ever start
        SimulationSetup a100 = setupOnA100();
        List<io.prescale.core.model.ModelSpec> specs = new java.util.ArrayList<>();
        for (int i = 0; i < a100.models().size(); i++) {
            var m = a100.models().get(i);
            var needs = i == 0 ? new io.prescale.core.model.ResourceNeeds(1, 0, 30_000_000_000L, 0.9, "1g.10gb")
                    : new io.prescale.core.model.ResourceNeeds(1, 0, 12_000_000_000L, 0.9, "1g.20gb");
            specs.add(new io.prescale.core.model.ModelSpec(m.id(), m.pool(), needs, m.profiles(), m.maxBatch(), m.maxQueueDelay(),
                    m.queueCapacity(), m.timeout(), m.slo(), m.priority(), m.loadTime(), m.minReplicas(), m.maxReplicas()));
        }
        SimulationSetup s = a100.with(specs, a100.pools(), a100.costModel());
        PoolShape pool = s.pools().get("a100-80gb");
        assertThat(Recommender.someModelFitsNowhere(s, pool, SharingMode.MIG)).isTrue();
        assertThat(Recommender.someModelFitsNowhere(s, pool, SharingMode.MPS)).isFalse();
        RunResult base = new Simulation(s).run("oracle", Map.of(), Simulation.Progress.NONE);
        // MPS shares are 0.9 each (> 3/4): nothing to consolidate there either
        assertThat(Recommender.recommend(s, base)).noneMatch(r -> r.kind().equals("consolidate"));
        // with that model on a 1g.20gb too (12 GB), every model fits an instance: MIG is recommended for the pool
        List<io.prescale.core.model.ModelSpec> fitting = new java.util.ArrayList<>(specs);
        fitting.set(0, new io.prescale.core.model.ModelSpec(specs.get(0).id(), specs.get(0).pool(), specs.get(1).needs(), specs.get(0).profiles(),
                specs.get(0).maxBatch(), specs.get(0).maxQueueDelay(), specs.get(0).queueCapacity(), specs.get(0).timeout(), specs.get(0).slo(),
                specs.get(0).priority(), specs.get(0).loadTime(), specs.get(0).minReplicas(), specs.get(0).maxReplicas()));
        SimulationSetup all = s.with(fitting, s.pools(), s.costModel());
        RunResult baseAll = new Simulation(all).run("oracle", Map.of(), Simulation.Progress.NONE);
        assertThat(Recommender.recommend(all, baseAll)).filteredOn(r -> r.kind().equals("consolidate")).singleElement()
                .satisfies(r -> assertThat(r.apply().apply(all).pools().get("a100-80gb").sharing()).isEqualTo(SharingMode.MIG));
    }

    @Test
    void aSpotRecommendationIsReSimulatedOnAnInterruptedSpotPool() {
        // one model made low priority: it may run on spot at 60 % off; the re-simulation runs it on a spot pool of its
        // own whose nodes are taken back (here at 2 per node-hour, 2-minute notice, to see them in 6 hours)
        SimulationSetup base = setupOnA100();
        String low = base.models().get(0).id();
        var specs = base.models().stream().map(m -> !m.id().equals(low) ? m : new io.prescale.core.model.ModelSpec(m.id(), m.pool(), m.needs(),
                m.profiles(), m.maxBatch(), m.maxQueueDelay(), m.queueCapacity(), m.timeout(), m.slo(),
                io.prescale.core.model.PriorityClass.LOW, m.loadTime(), m.minReplicas(), m.maxReplicas())).toList();
        SimulationSetup s = base.with(specs, base.pools(), base.costModel());
        RunResult run = new Simulation(s).run("reactive.hpa", Map.of(), Simulation.Progress.NONE);
        var market = new io.prescale.simulator.cluster.SpotMarket(2.0, Duration.ofMinutes(2));
        Recommendation spot = Recommender.recommend(s, run, market).stream().filter(r -> r.kind().equals("spot")).findFirst().orElseThrow();
        RunResult.Totals t = run.models().stream().filter(x -> x.model().equals(low)).findFirst().orElseThrow();
        assertThat(spot.target()).isEqualTo(low);
        // predicted: its replicas' cost x 0.6
        assertThat(spot.predictedSavingUsd()).isCloseTo(t.replicaCostUsd() * Recommender.SPOT_DISCOUNT, org.assertj.core.data.Offset.offset(1e-9));
        SimulationSetup applied = spot.apply().apply(s);
        assertThat(applied.cluster().spot()).containsEntry("a100-80gb-spot", market);
        assertThat(applied.models().get(0).pool()).isEqualTo("a100-80gb-spot");

        RunResult after = new Simulation(applied).run("reactive.hpa", Map.of(), Simulation.Progress.NONE);
        assertThat(after.scheduling().spotInterruptions()).isPositive();
        RunResult.ModelOutcome lost = after.scheduling().models().get(0);
        assertThat(lost.spotLost()).isPositive();
        RecommendationCheck.Outcome o = RecommendationCheck.verify(s, "reactive.hpa", Map.of(), run, List.of(spot), 1).get(0);
        // interruptions cost replacements (a new node and a load each): the saving realised is not the price cut alone,
        // which a spot pool that is never interrupted realises to the cent (exclusive GPUs: the move changes no packing)
        assertThat(o.realisedSavingUsd()).isEqualTo(run.totals().costUsd() - after.totals().costUsd());
        assertThat(o.spotInterruptions()).isEqualTo(after.scheduling().spotInterruptions());
        assertThat(RecommendationReport.flags(o)).contains("spot nodes taken back").contains(lost.spotLost() + " replica");
        Recommendation calm = Recommender.recommend(s, run, new io.prescale.simulator.cluster.SpotMarket(0, Duration.ofMinutes(2)))
                .stream().filter(r -> r.kind().equals("spot")).findFirst().orElseThrow();
        RecommendationCheck.Outcome c = RecommendationCheck.verify(s, "reactive.hpa", Map.of(), run, List.of(calm), 1).get(0);
        assertThat(c.realisedSavingUsd()).isCloseTo(calm.predictedSavingUsd(), org.assertj.core.data.Offset.offset(0.01));
        assertThat(Math.abs(o.realisedSavingUsd() - spot.predictedSavingUsd())).isGreaterThan(0.05);
    }

    @Test
    void aSlowerCheaperShapeIsOnlyRecommendedWhenWorkGetsCheaper() {
        SimulationSetup s = setupOnA100();
        RunResult base = new Simulation(s).run("oracle", Map.of(), Simulation.Progress.NONE);
        // A100 -> L4: 2.04/0.30 = 6.8x the time at 0.8048/5.12 = 15.7 % of the price: 1.07x the cost per request: no
        assertThat(Recommender.recommend(s, base)).noneMatch(r -> r.kind().equals("right-size"));
    }

    @Test
    void rightSizeSavingGolden() {
        // 4x as fast (slowdown 0.25) at twice the price, 1-hour rows: held 1 replica ($1): still one after, at twice the
        // price: 1 - 2 x 1/1 = -1, -$1; held 8 ($8): 2 after, 1 - 2 x 2/8 = 0.5, +$4; held 0.5 for the hour ($0.50): the half
        // hour with a replica keeps it, 1 - 2 x 0.5/0.5 = -1, -$0.50. Total $2.50, where cost x (1 - 2 x 0.25) said $4.75
        List<RunResult.SeriesRow> rows = List.of(
                new RunResult.SeriesRow(0, "m", 10, 10, 0, 0, 1, 0, 50, 1.0, 1.0, 1, 0.5, 1),
                new RunResult.SeriesRow(3600, "m", 10, 10, 0, 0, 8, 0, 50, 1.0, 8.0, 8, 4, 8),
                new RunResult.SeriesRow(7200, "m", 10, 10, 0, 0, 1, 0, 50, 1.0, 0.5, 0.5, 0.2, 0.5));
        assertThat(Recommender.rightSizeSaving(rows, null, 0.25, 2, 3600, 3 * 3600)).isCloseTo(2.5, org.assertj.core.data.Offset.offset(1e-12));
        // slower and cheaper: the floor never binds (held x 1.64 >= min(held, 1)), as before: cost x (1 - 0.4 x 1.64)
        assertThat(Recommender.rightSizeSaving(rows, null, 1.64, 0.4, 3600, 3 * 3600)).isCloseTo(9.5 * (1 - 0.4 * 1.64), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aModelHoldingOneCheapReplicaIsNotMovedToAFasterDearerGpu() {
        // the synthetic models at 5 % of the rate hold about one L4 replica each; an A100 is 0.15x the time at 6.4x the price,
        // 0.935x the cost per request: each was told to move and save 6.5 %, but one A100 replica costs 6.4 L4 ones
        SimulationSetup a100 = setupOnA100();
        List<io.prescale.core.model.ModelSpec> onL4 = a100.models().stream().map(m -> m.withPool("l4-24gb", m.latency())).toList();
        SimulationSetup s = a100.with(onL4, a100.pools(), a100.costModel());
        RunResult base = new Simulation(s).run("oracle", Map.of(), Simulation.Progress.NONE);
        assertThat(base.models()).allSatisfy(t -> assertThat(t.replicaCostUsd()).isPositive());
        assertThat(Recommender.recommend(s, base)).noneMatch(r -> r.kind().equals("right-size"));
    }
}
