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
import io.prescale.simulator.cluster.SimulatedPool;
import io.prescale.simulator.cluster.SpotMarket;
import io.prescale.simulator.metrics.RunResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** Spot pools: nodes the provider takes back after a notice; replicas are moved at the notice, or lost. */
class SpotInterruptionTest {

    @Test
    void theDefaultMarketIsAwsHighestInterruptionBandWithATwoMinuteNotice() {
        // 20 % of nodes reclaimed in a 30-day month: hazard -ln(0.8) / 720 h = 0.2231436 / 720 = 3.0992e-4 per node-hour
        assertThat(SpotMarket.AWS_TOP_BAND.interruptionsPerNodeHour()).isCloseTo(3.0992e-4, offset(1e-8));
        assertThat(SpotMarket.AWS_TOP_BAND.monthlyFrequency()).isCloseTo(0.20, offset(1e-12));
        assertThat(SpotMarket.AWS_TOP_BAND.notice()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void atTheNoticeAReplicaStartsElsewhereAndAtTheInterruptionTheOldOneIsLostAndTheNodeStopsBilling() {
        // one exclusive A100 pool (provisioning delay D), one replica warm on node 0 from t = 0 (20 s load).
        // notice at 100 s: node 0 is cordoned, a replacement goes on a new node 1 (ready at 100 + D + 20);
        // interruption at 220 s: the old replica is lost (1), node 0 billed 0..220, node 1 from 100 to the end (3600)
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        ModelSpec m = new ModelSpec("m", a100.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(a100.id(), LatencyProfile.linear(0.1, 0)), 1, Duration.ZERO, 10, Duration.ofSeconds(60),
                new Slo(Duration.ofSeconds(2), 0, 0.99), PriorityClass.LOW, Duration.ofSeconds(20), 0, 10);
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), List.of(m), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.applyAll(List.of(new Decision.ScaleModel("m", 1)));
        c.warmStart();
        SimulatedPool pool = c.pools().iterator().next();
        assertThat(c.spotNotice(a100.id(), 0, 100)).isTrue();
        assertThat(pool.activeNodes()).hasSize(2);
        assertThat(pool.activeNodes().get(0).cordoned()).isTrue();
        assertThat(c.server(0).replicaCount()).isEqualTo(2); // the old one serves until the new one is ready or the node goes
        c.spotInterrupt(a100.id(), 0, 220);
        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.server(0).metrics.spotLost).isEqualTo(1);
        assertThat(c.spotInterruptions()).isEqualTo(1);
        assertThat(pool.activeNodes()).hasSize(1);
        c.finish(3600);
        double p = a100.pricePerHour();
        assertThat(pool.costUsd(3600)).isCloseTo((220 + 3500) / 3600.0 * p, offset(1e-9));
        // a notice for a node that is gone is ignored
        assertThat(c.spotNotice(a100.id(), 0, 300)).isFalse();
    }

    @Test
    void aNodeTakenBackStopsBillingThenEvenWithABatchStillRunningFromAReplicaThatLeftItEarlier() {
        // an MPS A100 pool (provisioning delay D > 120 s), three replicas of a half-GPU model warm from 0: two on node 0
        // (A, B), one on node 1 (C). Three 500 s requests at 10 s keep each busy 10..510. Notice for node 0 at 100: A's
        // replacement goes to node 1's free half (loaded at 120), B's to a new node 2 (provisioned at 100). At 130 A is
        // stopped (its batch runs on to 510); at 220 the provider takes node 0 back with B on it. Node 0 is billed 0..220,
        // node 1 0..3600, node 2 100..3600: 220 + 3,600 + 3,500 = 7,320 node-seconds. Before: node 0 was released when
        // A's batch ended, 510 (7,610), though the provider had it back at 220
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.MPS);
        ModelSpec m = new ModelSpec("m", a100.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(a100.id(), LatencyProfile.linear(500, 0)), 1, Duration.ZERO, 10, Duration.ofSeconds(60),
                new Slo(Duration.ofSeconds(600), 0, 0.99), PriorityClass.LOW, Duration.ofSeconds(20), 0, 10);
        assertThat(a100.provisioningDelay()).isGreaterThan(Duration.ofSeconds(120));
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), List.of(m), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.applyAll(List.of(new Decision.ScaleModel("m", 3)));
        c.warmStart();
        SimulatedPool pool = c.pools().iterator().next();
        assertThat(pool.activeNodes()).hasSize(2);
        for (int k = 0; k < 3; k++) c.server(0).arrive(10, 500f);
        c.server(0).drain(11);
        assertThat(c.server(0).inService()).isEqualTo(3);
        assertThat(c.spotNotice(a100.id(), 0, 100)).isTrue();
        assertThat(pool.activeNodes()).hasSize(3);
        c.server(0).drain(130);
        c.observe(Instant.EPOCH.plusSeconds(130)); // A's replacement is loaded: A stops, node 0 keeps B
        assertThat(pool.activeNodes().get(0).residents()).hasSize(1);
        c.spotInterrupt(a100.id(), 0, 220);
        assertThat(c.server(0).metrics.spotLost).isEqualTo(1);
        c.finish(3600);
        assertThat(pool.nodeSeconds(3600)).isCloseTo(7320, offset(1e-6));
        assertThat(c.server(0).metrics.costUsd).isCloseTo(pool.costUsd(3600), offset(1e-9));
    }

    @Test
    void theRequestsOfReplicasLostWithTheirNodeAreNotServedThereButGoBackToTheQueue() {
        // the run above, with replicas that can be lost: A (stopped at 130 s, its batch running on to 510 s on node 0) and
        // B (still on node 0) lose their requests at 220 s, C's (node 1) is served at 510 s. The two go back to the queue,
        // waiting since 10 s, and A's replacement on node 1 (loaded at 120 s) takes one at 220 s: done at 720 s
        // (latency 710 s > the 600 s SLO). Before, all three counted as served (within the SLO, 500 s) at dispatch
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.MPS);
        ModelSpec m = new ModelSpec("m", a100.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(a100.id(), LatencyProfile.linear(500, 0)), 1, Duration.ZERO, 10, Duration.ofSeconds(3600),
                new Slo(Duration.ofSeconds(600), 0, 0.99), PriorityClass.LOW, Duration.ofSeconds(20), 0, 10);
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), List.of(m), SimulatedCluster.Gaps.NONE);
        c.enableReplicaLoss();
        c.setNow(0);
        c.applyAll(List.of(new Decision.ScaleModel("m", 3)));
        c.warmStart();
        var s = c.server(0);
        for (int k = 0; k < 3; k++) s.arrive(10, 500f);
        s.drain(11);
        assertThat(s.metrics.served).isEqualTo(3);
        assertThat(c.spotNotice(a100.id(), 0, 100)).isTrue();
        s.drain(130);
        c.observe(Instant.EPOCH.plusSeconds(130)); // A's replacement is loaded: A stops, node 0 keeps B
        c.spotInterrupt(a100.id(), 0, 220);
        assertThat(s.metrics.served).isEqualTo(1);
        assertThat(s.metrics.sloMet).isEqualTo(1);
        assertThat(s.queued()).isEqualTo(2);
        assertThat(s.inService()).isEqualTo(1);
        s.drain(230);
        assertThat(s.metrics.served).isEqualTo(2);
        assertThat(s.metrics.sloMet).isEqualTo(1); // 710 s
        c.finish(3600);
        assertThat(s.metrics.served).isEqualTo(3);
        assertThat(s.metrics.arrived).isEqualTo(s.metrics.served + s.metrics.dropped + s.metrics.timedOut + s.queued());
    }

    @Test
    void aPreemptibleNodeIsTakenBackADayAfterItStartsWithA30SecondNotice() {
        // GCP preemptible: no drawn interruptions, a 24 h lifetime and a 30 s notice. A node provisioned at 0:
        // at the tick at 86,340 s (60 s ticks) its notice (86,400 - 30 = 86,370) falls inside the tick: notice
        // at 86,370, interruption at 86,400; at the tick before, nothing
        SpotMarket gcp = SpotMarket.named("gcp-preemptible");
        assertThat(gcp).isEqualTo(SpotMarket.GCP_PREEMPTIBLE);
        assertThat(gcp.notice()).isEqualTo(Duration.ofSeconds(30));
        assertThat(gcp.maxLifetime()).isEqualTo(Duration.ofHours(24));
        assertThat(gcp.describe()).isEqualTo("each node taken back 1d after it starts, 30s notice");
        assertThat(SpotMarket.AWS_TOP_BAND.describe()).isEqualTo("each node interrupted at 20 % a month, 2m notice");
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        ModelSpec m = new ModelSpec("m", a100.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(a100.id(), LatencyProfile.linear(0.1, 0)), 1, Duration.ZERO, 10, Duration.ofSeconds(60),
                new Slo(Duration.ofSeconds(2), 0, 0.99), PriorityClass.LOW, Duration.ofSeconds(20), 0, 10);
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), List.of(m), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.applyAll(List.of(new Decision.ScaleModel("m", 1)));
        SpotInterruptions spot = new SpotInterruptions(Map.of(a100.id(), gcp), 1);
        assertThat(spot.next(c, 86_280, 60, 0)).isEmpty();
        assertThat(spot.next(c, 86_340, 60, 0)).containsExactly(new SimEvent.SpotNotice(86_370, 0, a100.id(), 0),
                new SimEvent.SpotInterrupt(86_400, 1, a100.id(), 0));
    }

    /** The synthetic workload with its pools spot at {@code market}. */
    private static SimulationSetup spot(SpotMarket market) {
        SimulationSetup s = SimulationEndToEndTest.setup(SimulationEndToEndTest.SYNTHETIC, 0, 6 * 3600, 0.1, 3);
        var options = s.cluster();
        for (String pool : s.pools().keySet()) options = options.withSpot(pool, market);
        return s.withCluster(options);
    }

    @Test
    void interruptionsCostReplicasAndLoadsAndAreRepeatableBySeed() {
        // 1 interruption per node-hour: over 6 hours every node is likely taken back several times
        SpotMarket often = new SpotMarket(1.0, Duration.ofMinutes(2));
        RunResult calm = new Simulation(spot(new SpotMarket(0, Duration.ofMinutes(2)))).run("reactive.hpa", Map.of(), Simulation.Progress.NONE);
        RunResult a = new Simulation(spot(often)).run("reactive.hpa", Map.of(), Simulation.Progress.NONE);
        RunResult b = new Simulation(spot(often)).run("reactive.hpa", Map.of(), Simulation.Progress.NONE);
        assertThat(calm.scheduling().spotInterruptions()).isZero();
        assertThat(a.scheduling().spotInterruptions()).isGreaterThan(3);
        assertThat(a.totals().coldStarts()).isGreaterThan(calm.totals().coldStarts());
        assertThat(a.invariants().hold()).isTrue();
        // same seed, same interruptions
        assertThat(b.scheduling().spotInterruptions()).isEqualTo(a.scheduling().spotInterruptions());
        assertThat(b.totals().costUsd()).isEqualTo(a.totals().costUsd());
        assertThat(b.totals().sloAttainment()).isEqualTo(a.totals().sloAttainment());
    }
}
