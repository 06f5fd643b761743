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
import static org.assertj.core.api.Assertions.within;

/**
 * When a pool is full, a higher-priority model takes a replica from a lower-priority one, never the reverse;
 * priority is dynamic (a model below its SLO target so far, or whose waiting requests will miss their deadlines,
 * counts one class higher), and deadline slack, then attainment slack, break ties.
 */
class PreemptionTest {
    static final PoolShape TWO_GPUS = new PoolShape("gpu", "test", 1, 80_000_000_000L, 8, 0, 1.0, Duration.ofSeconds(60),
            SharingMode.EXCLUSIVE, 0, 2, "test");

    static ModelSpec spec(String id, PriorityClass p) {
        return new ModelSpec(id, "gpu", new ResourceNeeds(1, 0, 40_000_000_000L, 1, null), Map.of("gpu", LatencyProfile.linear(0.1, 0.01)),
                4, Duration.ZERO, 100, Duration.ofSeconds(30), new Slo(Duration.ofSeconds(1), 0, 0.99), p, Duration.ofSeconds(10), 0, 10);
    }

    @Test
    void highPriorityPreemptsLowWhenThePoolIsFull() {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(TWO_GPUS), List.of(spec("low", PriorityClass.LOW), spec("high", PriorityClass.HIGH)), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("low", 2));      // both GPUs
        assertThat(c.server(0).replicaCount()).isEqualTo(2);
        c.setNow(100);
        c.apply(new Decision.ScaleModel("high", 1));     // pool full: takes one from "low"
        assertThat(c.server(1).replicaCount()).isEqualTo(1);
        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.preemptions()).isEqualTo(1);
        // it takes the GPU the low model left: no third GPU, loaded 10 s later (not after a 60 s provisioning too)
        SimulatedPool pool = c.pools().iterator().next();
        assertThat(pool.activeNodes()).hasSize(2);
        assertThat(pool.releasedNodeCount()).isZero();
        assertThat(c.server(1).replicas().get(0).readyAt).isEqualTo(110.0);
        // the low model still wants 2, but cannot take the GPU back from a higher class
        c.apply(new Decision.ScaleModel("low", 2));
        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.preemptions()).isEqualTo(1);
    }

    /** Model {@code model} has {@code served} requests finished, {@code met} of them within the SLO. */
    static void finished(SimulatedCluster c, int model, long served, long met) {
        c.server(model).metrics.servedFinished = served;
        c.server(model).metrics.sloMetFinished = met;
    }

    @Test
    void withinTheLowestClassTheModelWithTheMostSloSlackGivesUpItsReplica() {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(TWO_GPUS), List.of(spec("a", PriorityClass.LOW), spec("b", PriorityClass.LOW),
                spec("high", PriorityClass.HIGH)), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("a", 1));
        c.apply(new Decision.ScaleModel("b", 1));
        // a: 1,000 met of 1,000 (slack +0.01); b: 995 of 1,000 (99.5 %, slack +0.005)
        finished(c, 0, 1000, 1000);
        finished(c, 1, 1000, 995);
        c.setNow(100);
        c.apply(new Decision.ScaleModel("high", 1));
        assertThat(c.server(0).replicaCount()).isZero();
        assertThat(c.server(1).replicaCount()).isEqualTo(1);
    }

    @Test
    void aModelBelowItsSloTargetCountsOneClassHigher() {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(TWO_GPUS), List.of(spec("healthy", PriorityClass.NORMAL),
                spec("at-risk", PriorityClass.NORMAL)), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("healthy", 2));
        // same class: no preemption while both meet their target
        finished(c, 1, 1000, 995);
        c.setNow(100);
        c.apply(new Decision.ScaleModel("at-risk", 1));
        assertThat(c.server(1).replicaCount()).isZero();
        // at-risk meets 900 of 1,000 = 90 % < 99 %: it ranks as HIGH and takes a GPU from the healthy NORMAL model
        finished(c, 1, 1000, 900);
        c.setNow(200);
        c.apply(new Decision.ScaleModel("at-risk", 1));
        assertThat(c.server(1).replicaCount()).isEqualTo(1);
        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.preemptions()).isEqualTo(1);
    }

    static ModelSpec shared(String id, PriorityClass p, double compute) {
        return new ModelSpec(id, "gpu", new ResourceNeeds(1, 0, 10_000_000_000L, compute, null), Map.of("gpu", LatencyProfile.linear(0.1, 0.01)),
                4, Duration.ZERO, 100, Duration.ofSeconds(30), new Slo(Duration.ofSeconds(1), 0, 0.99), p, Duration.ofSeconds(10), 0, 10);
    }

    @Test
    void onASharedGpuOnlyAReplicaWhoseLeavingMakesRoomIsPreempted() {
        // MPS, one GPU: two low replicas of half the SMs fill it; a high model needing all of them fits in neither's room
        PoolShape oneGpu = new PoolShape("gpu", "test", 1, 80_000_000_000L, 8, 0, 1.0, Duration.ofSeconds(60), SharingMode.MPS, 0, 1, "test");
        var c = new SimulatedCluster(Instant.EPOCH, List.of(oneGpu), List.of(shared("low", PriorityClass.LOW, 0.5), shared("high", PriorityClass.HIGH, 1.0)), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("low", 2));
        c.setNow(100);
        c.apply(new Decision.ScaleModel("high", 1));
        // was: one low replica stopped (0.5 + 1.0 > 1 still), the high one not placed, and the low one back next tick
        assertThat(c.preemptions()).isZero();
        assertThat(c.server(0).replicaCount()).isEqualTo(2);
        assertThat(c.server(1).replicaCount()).isZero();
    }

    @Test
    void thePreemptedReplicaIsTheFirstInPriorityOrderWhoseLeavingMakesRoom() {
        // MPS, two GPUs, first fit: GPU0 {critical 0.5, a 0.3}, GPU1 {b 0.5}; a and b are both low, a first in the
        // catalog (equal slack). high needs 0.6: a's room on GPU0 gives 0.5 + 0.6 > 1, b's on GPU1 gives 0.6
        PoolShape twoGpus = new PoolShape("gpu", "test", 1, 80_000_000_000L, 8, 0, 1.0, Duration.ofSeconds(60), SharingMode.MPS, 0, 2, "test");
        var c = new SimulatedCluster(Instant.EPOCH, List.of(twoGpus), List.of(shared("critical", PriorityClass.CRITICAL, 0.5),
                shared("a", PriorityClass.LOW, 0.3), shared("b", PriorityClass.LOW, 0.5), shared("high", PriorityClass.HIGH, 0.6)), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        for (String m : List.of("critical", "a", "b")) c.apply(new Decision.ScaleModel(m, 1));
        c.setNow(100);
        c.apply(new Decision.ScaleModel("high", 1));
        assertThat(c.preemptions()).isEqualTo(1);
        assertThat(c.server(1).replicaCount()).isEqualTo(1); // was 0: a's replica stopped for nothing
        assertThat(c.server(2).replicaCount()).isZero();
        assertThat(c.server(3).replicaCount()).isEqualTo(1);
        assertThat(c.server(3).replicas().get(0).node()).isSameAs(c.pools().iterator().next().activeNodes().get(1));
    }

    /** One request at a time, 0.5 s each whatever the batch, SLO 1 s; 10 s load. */
    static ModelSpec halfSecond(String id, PriorityClass p) {
        return new ModelSpec(id, "gpu", new ResourceNeeds(1, 0, 40_000_000_000L, 1, null), Map.of("gpu", LatencyProfile.linear(0.5, 0)),
                1, Duration.ZERO, 100, Duration.ofSeconds(30), new Slo(Duration.ofSeconds(1), 0, 0.99), p, Duration.ofSeconds(10), 0, 10);
    }

    /** a and b (low) on the two GPUs, loaded at 10 s, idle since; n (normal) wants a GPU at 100 s. */
    static SimulatedCluster lowAandBThenNormalN() {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(TWO_GPUS), List.of(halfSecond("a", PriorityClass.LOW),
                halfSecond("b", PriorityClass.LOW), halfSecond("n", PriorityClass.NORMAL)), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("a", 1));
        c.apply(new Decision.ScaleModel("b", 1));
        return c;
    }

    @Test
    void aModelWhoseWaitingRequestsWillMissTheirDeadlinesCountsOneClassHigher() {
        SimulatedCluster c = lowAandBThenNormalN();
        // three 0.5 s requests reach a at 100 s. Its one replica (free since 10 s) serves them one after another:
        // they finish at 100.5, 101.0 and 101.5 against a deadline of 100 + 1 = 101 s: slack +0.5, 0 and -0.5
        for (int k = 0; k < 3; k++) c.server(0).arrive(100, 0.5f);
        assertThat(c.server(0).deadlineSlack(100)).isCloseTo(-0.5, within(1e-9));
        assertThat(c.server(1).deadlineSlack(100)).isEqualTo(Double.POSITIVE_INFINITY); // nothing waiting
        // no request has finished yet, so by attainment both a and b have slack 0 and a, first in the catalog, was the
        // victim; with its deadline slack below 0, a counts as normal, no lower than n, and b gives up its GPU
        c.setNow(100);
        c.apply(new Decision.ScaleModel("n", 1));
        assertThat(c.preemptions()).isEqualTo(1);
        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.server(1).replicaCount()).isZero();
        assertThat(c.server(2).replicaCount()).isEqualTo(1);
    }

    @Test
    void withinAClassTheModelWithTheMostDeadlineSlackGivesUpItsReplica() {
        SimulatedCluster c = lowAandBThenNormalN();
        // a: two requests at 100 s finish at 100.5 and 101.0 (deadline 101): slack 0, not at risk, but none to spare;
        // b: one, finishes at 100.5: slack +0.5. Both low; b has more slack and gives up its GPU (by catalog order a did)
        c.server(0).arrive(100, 0.5f);
        c.server(0).arrive(100, 0.5f);
        c.server(1).arrive(100, 0.5f);
        assertThat(c.server(0).deadlineSlack(100)).isCloseTo(0.0, within(1e-9));
        assertThat(c.server(1).deadlineSlack(100)).isCloseTo(0.5, within(1e-9));
        c.setNow(100);
        c.apply(new Decision.ScaleModel("n", 1));
        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.server(1).replicaCount()).isZero();
        assertThat(c.server(2).replicaCount()).isEqualTo(1);
    }

    @Test
    void withNoReplicaTheWaitIsAtLeastTheLoadTime() {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(TWO_GPUS), List.of(halfSecond("a", PriorityClass.LOW)), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.server(0).arrive(0, 0.5f);
        // a replica started now loads for 10 s: the request finishes at 10.5 s against a deadline at 1 s: slack -9.5
        assertThat(c.server(0).deadlineSlack(0)).isCloseTo(-9.5, within(1e-9));
    }
}
