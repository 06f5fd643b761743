package io.prescale.simulator.cluster;

import io.prescale.core.policy.Decision;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request is a cold-start request when its model has no loaded replica as it arrives (the serverless
 * literature's cold start); replica loads are counted apart, as cold starts.
 */
class ColdStartRequestsTest {

    @Test
    void requestsBeforeTheFirstReplicaIsLoadedAreColdAndLaterOnesAreNot() {
        // one 40 GB model; a new GPU takes 60 s to provision and the model 10 s to load: ready at t = 70 s
        var c = new SimulatedCluster(Instant.EPOCH, List.of(PackerTest.MPS_80GB), List.of(PackerTest.spec("a", 40)), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        ModelServer s = c.server(0);
        s.arrive(0.5, 0.1f);                          // no replica at all: cold
        c.apply(new Decision.ScaleModel("a", 1));     // at t = 0 (the cluster's clock): loaded at 70 s
        s.arrive(30, 0.1f);                           // loading: cold
        s.arrive(69.9, 0.1f);                         // still loading: cold
        s.arrive(70.1, 0.1f);                         // loaded: warm
        s.arrive(100, 0.1f);                          // warm
        assertThat(s.metrics.coldRequests).isEqualTo(3);
        assertThat(s.metrics.coldStarts).isEqualTo(1); // one replica load
        assertThat(s.metrics.arrived).isEqualTo(5);
    }

    @Test
    void aSecondReplicaLoadingBesideALoadedOneMakesNoRequestCold() {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(PackerTest.MPS_80GB), List.of(PackerTest.spec("a", 40)), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("a", 1));     // loaded at 70 s
        c.setNow(100);
        c.apply(new Decision.ScaleModel("a", 2));     // the second fits beside it on the same GPU: loaded at 110 s
        ModelServer s = c.server(0);
        s.arrive(105, 0.1f);                          // the first replica is loaded: warm
        c.setNow(120);
        c.apply(new Decision.ScaleModel("a", 0));     // both stop
        s.arrive(130, 0.1f);                          // no replica: cold
        assertThat(s.metrics.coldRequests).isEqualTo(1);
        assertThat(s.metrics.coldStarts).isEqualTo(2);
    }

    @Test
    void replicasTheRunStartsWithAreWarmAndNoColdStart() {
        var c = new SimulatedCluster(Instant.EPOCH, List.of(PackerTest.MPS_80GB), List.of(PackerTest.spec("a", 40)), SimulatedCluster.Gaps.NONE);
        c.setNow(0);
        c.apply(new Decision.ScaleModel("a", 2));     // the first tick: the running system the run starts from
        c.warmStart();
        ModelServer s = c.server(0);
        assertThat(s.replicasReady(0)).isEqualTo(2);
        assertThat(s.metrics.coldStarts).isZero();    // nothing was loaded
        assertThat(c.coldStarts()).isZero();
        c.setNow(100);
        c.apply(new Decision.ScaleModel("a", 3));     // a later one loads
        assertThat(s.metrics.coldStarts).isEqualTo(1);
        assertThat(c.coldStarts()).isEqualTo(1);
    }
}
