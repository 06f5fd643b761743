package io.prescale.simulator.cluster;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.policy.Decision;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When demand falls, a half-empty shared GPU is drained onto another one and released. */
class ConsolidationTest {
    static final PoolShape MPS = new PoolShape("gpu", "test", 1, 80_000_000_000L, 8, 0, 1.0, Duration.ofSeconds(60),
            SharingMode.MPS, 0, 10, "test");

    static ModelSpec half(String id) { // half a GPU's compute, 16 GB, 10 s load
        return new ModelSpec(id, "gpu", new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null), Map.of("gpu", LatencyProfile.linear(0.1, 0.01)),
                4, Duration.ZERO, 100, Duration.ofSeconds(30), new Slo(Duration.ofSeconds(1), 0, 0.99), PriorityClass.NORMAL,
                Duration.ofSeconds(10), 0, 10);
    }

    @Test
    void aHalfEmptyNodeIsDrainedAndReleased() {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(MPS), List.of(half("a"), half("b"), half("c")), SimulatedCluster.Gaps.NONE);
        c.enableConsolidation();
        c.setNow(0);
        for (String m : List.of("a", "b", "c")) c.apply(new Decision.ScaleModel(m, 1)); // first fit: GPU0 {a, b}, GPU1 {c}
        SimulatedPool pool = c.pools().iterator().next();
        assertThat(pool.activeNodes()).hasSize(2);
        c.observe(Instant.EPOCH.plusSeconds(100));   // everything loaded; GPU0 and GPU1 are both in use
        c.apply(new Decision.ScaleModel("b", 0));     // demand falls: GPU0 {a}, GPU1 {c}: each half empty
        c.observe(Instant.EPOCH.plusSeconds(200));   // drains the least used node (GPU0, by id on a tie): a restarts on GPU1
        assertThat(c.server(0).replicaCount()).isEqualTo(2); // old and new replica of a, until the new one is loaded
        c.observe(Instant.EPOCH.plusSeconds(211));   // 10 s load done: the old replica stops and GPU0 is released
        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.migrations()).isEqualTo(1);
        assertThat(pool.activeNodes()).hasSize(1);
        assertThat(pool.activeNodes().get(0).residents()).hasSize(2);
        assertThat(pool.peakMemoryRatio()).isLessThanOrEqualTo(1.0);
    }

    /** a, b and c on half a GPU each (a and b share one), b scaled away at 100 s: the next observation moves a onto c's GPU. */
    private static SimulatedCluster bScaledAwayAt100s() {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(MPS), List.of(half("a"), half("b"), half("c")), SimulatedCluster.Gaps.NONE);
        c.enableConsolidation();
        c.setNow(0);
        for (String m : List.of("a", "b", "c")) c.apply(new Decision.ScaleModel(m, 1));
        c.observe(Instant.EPOCH.plusSeconds(100));
        c.apply(new Decision.ScaleModel("b", 0));
        return c;
    }

    @Test
    void scalingDownDuringAMigrationCancelsItInsteadOfKillingTheServingReplica() {
        SimulatedCluster c = bScaledAwayAt100s();
        c.observe(Instant.EPOCH.plusSeconds(200));   // migration of a under way
        c.apply(new Decision.ScaleModel("a", 1));     // unchanged target: the migration goes on
        assertThat(c.server(0).replicaCount()).isEqualTo(2);
        c.apply(new Decision.ScaleModel("a", 0));     // a is no longer wanted: both replicas go, nothing left behind
        c.observe(Instant.EPOCH.plusSeconds(211));
        assertThat(c.server(0).replicaCount()).isZero();
        assertThat(c.migrations()).isZero();
    }

    @Test
    void aPolicyHoldingTheReplicasItSeesDuringAMigrationStartsNoExtraOne() {
        SimulatedCluster c = bScaledAwayAt100s();
        var during = c.observe(Instant.EPOCH.plusSeconds(200)).model("a").orElseThrow(); // migration of a under way
        // the replacement loading on the fuller GPU is the cluster's own move: the policy sees the one replica it asked for
        assertThat(during.replicas()).isEqualTo(1);
        c.apply(new Decision.ScaleModel("a", during.replicas())); // a policy that holds what it sees (HPA within tolerance)
        c.observe(Instant.EPOCH.plusSeconds(211));
        assertThat(c.server(0).replicaCount()).isEqualTo(1); // was 2: the hold read the replacement as a replica it wanted
        assertThat(c.migrations()).isEqualTo(1);
    }

    static ModelSpec spec(String id, long gb, PriorityClass priority) { // half a GPU's compute, 10 s load
        return new ModelSpec(id, "gpu", new ResourceNeeds(1, 0, gb * 1_000_000_000L, 0.5, null), Map.of("gpu", LatencyProfile.linear(0.1, 0.01)),
                4, Duration.ZERO, 100, Duration.ofSeconds(30), new Slo(Duration.ofSeconds(1), 0, 0.99), priority,
                Duration.ofSeconds(10), 0, 10);
    }

    /**
     * Two GPUs at most. a (30 GB, low priority) and b share GPU0, c (10 GB) is alone on GPU1; b is scaled away at
     * 100 s and at 200 s the consolidation starts a's replacement on GPU1 (ready at 210 s). h (55 GB, high
     * priority) fits on neither GPU: 30 + 55 GB > 80 GB on GPU0, and GPU1's compute is full.
     */
    private static SimulatedCluster migratingAWithHWaiting() {
        PoolShape twoGpus = new PoolShape("gpu", "test", 1, 80_000_000_000L, 8, 0, 1.0, Duration.ofSeconds(60), SharingMode.MPS, 0, 2, "test");
        var c = new SimulatedCluster(Instant.EPOCH, List.of(twoGpus), List.of(spec("a", 30, PriorityClass.LOW), spec("b", 16, PriorityClass.NORMAL),
                spec("c", 10, PriorityClass.NORMAL), spec("h", 55, PriorityClass.HIGH)), SimulatedCluster.Gaps.NONE);
        c.enableConsolidation();
        c.setNow(0);
        for (String m : List.of("a", "b", "c")) c.apply(new Decision.ScaleModel(m, 1)); // GPU0 {a, b}, GPU1 {c}
        c.observe(Instant.EPOCH.plusSeconds(100));
        c.apply(new Decision.ScaleModel("b", 0));
        c.observe(Instant.EPOCH.plusSeconds(200));   // a's replacement loads on GPU1 {c, a'}
        assertThat(c.migratingReplicas(0)).isEqualTo(1);
        return c;
    }

    @Test
    void preemptingAReplacementWhileItLoadsEndsTheMigrationAndTheOldReplicaKeepsServing() {
        SimulatedCluster c = migratingAWithHWaiting();
        c.setNow(205);
        c.apply(new Decision.ScaleModel("h", 1));     // pool full: h takes the room of a's loading replacement on GPU1
        assertThat(c.preemptions()).isEqualTo(1);
        assertThat(c.server(3).replicaCount()).isEqualTo(1);
        // the migration is over: no record is left to stop a's serving replica when the preempted one would have loaded
        assertThat(c.migratingReplicas(0)).isZero();
        var a = c.observe(Instant.EPOCH.plusSeconds(206)).model("a").orElseThrow();
        assertThat(a.replicas()).isEqualTo(1);
        assertThat(a.replicasStarting()).isZero(); // was -1: one replica, one "migrating", one ready
        c.observe(Instant.EPOCH.plusSeconds(211));
        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.server(0).replicasReady(211)).isEqualTo(1); // was 0: the old replica stopped, a new one on a new GPU
        assertThat(c.migrations()).isZero();
        assertThat(c.coldStarts()).isEqualTo(5); // a, b, c, a's replacement, h: no restart of a
    }

    @Test
    void aFailedOldReplicaHandsOverToItsLoadingReplacementWithoutAnExtraOne() {
        SimulatedCluster c = migratingAWithHWaiting();
        c.failOneReplica(0, 205);                     // the busiest replica of a: the old one, serving on GPU0
        assertThat(c.migratingReplicas(0)).isZero();
        var a = c.observe(Instant.EPOCH.plusSeconds(206)).model("a").orElseThrow();
        assertThat(a.replicasReady()).isZero();
        assertThat(a.replicasStarting()).isEqualTo(1);       // the replacement, loading: the one replica a policy asked for
        assertThat(c.server(0).replicaCount()).isEqualTo(1); // was 2: the tick started one more to replace the failed one
        c.observe(Instant.EPOCH.plusSeconds(211));
        assertThat(c.server(0).replicasReady(211)).isEqualTo(1);
        assertThat(c.failures()).isEqualTo(1);
    }

    @Test
    void aLoneReplicaIsNotMovedOntoASpareNodeAndBackEveryTick() {
        // one replica of a and a spare GPU the policy keeps warm (2 nodes): moving a onto the empty spare frees no node
        // (the one it leaves is the next spare), and the next tick moved it back. It did so on every tick: 9 migrations,
        // each a cold start with its 10 s load, in 9 ticks
        var c = new SimulatedCluster(Instant.EPOCH, List.of(MPS), List.of(half("a")), SimulatedCluster.Gaps.NONE);
        c.enableConsolidation();
        c.setNow(0);
        c.apply(new Decision.ScaleModel("a", 1));
        c.apply(new Decision.ResizePool("gpu", 2));
        SimulatedPool pool = c.pools().iterator().next();
        for (int t = 100; t <= 1000; t += 100) {
            c.observe(Instant.EPOCH.plusSeconds(t));
            c.apply(new Decision.ScaleModel("a", 1));
            c.apply(new Decision.ResizePool("gpu", 2));
        }
        assertThat(c.migrations()).isZero();
        assertThat(c.coldStarts()).isEqualTo(1);
        assertThat(pool.activeNodes()).hasSize(2);
        assertThat(pool.nodesInUse()).isEqualTo(1);
    }
}
