package io.prescale.simulator.cluster;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.policy.Decision;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.metrics.ModelMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * A replica that fails does not serve the requests it was running: they were booked as served when dispatched, and go
 * back to the head of the queue, waiting since their arrival.
 */
class ReplicaLossTest {

    /**
     * Model "m" on an exclusive A100 pool, two replicas warm from 0: batches of up to {@code maxBatch}, a request served
     * in the service it brings (no batch stretch), SLO 20 s, the given timeout and queue capacity.
     */
    private static SimulatedCluster cluster(int replicas, int maxBatch, int queue, int timeoutSeconds, boolean continuous) {
        PoolShape a100 = ModelCatalog.builtinPools().get("a100-80gb").withSharing(SharingMode.EXCLUSIVE);
        ModelSpec m = new ModelSpec("m", a100.id(), new ResourceNeeds(1, 0, 16_000_000_000L, 0.5, null),
                Map.of(a100.id(), LatencyProfile.linear(10, 0)), maxBatch, Duration.ZERO, queue, Duration.ofSeconds(timeoutSeconds),
                new Slo(Duration.ofSeconds(20), 0, 0.99), PriorityClass.NORMAL, Duration.ofSeconds(20), 0, 4);
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(a100), List.of(m), SimulatedCluster.Gaps.NONE);
        if (continuous) c.enableContinuousBatching(0);
        c.enableReplicaLoss();
        c.setNow(0);
        c.apply(new Decision.ScaleModel("m", replicas));
        c.warmStart();
        return c;
    }

    private static void balances(ModelServer s) {
        ModelMetrics m = s.metrics;
        assertThat(m.arrived).isEqualTo(m.served + m.dropped + m.timedOut + s.queued());
    }

    @Test
    void theRequestAFailedReplicaWasRunningIsServedAgainByAnotherFromTheFailureOn() {
        // a 10 s request at 1 s starts at once on replica A (ends 11 s). A fails at 5 s: the request is not served (it was
        // booked at its dispatch), it waits at the head of the queue, and replica B (idle since 0) takes it at 5 s, not
        // before: done at 15 s, latency 14 s (within the 20 s SLO). Before, it counted as served at 11 s (latency 10 s)
        SimulatedCluster c = cluster(2, 1, 10, 60, false);
        ModelServer s = c.server(0);
        s.arrive(1, 10f);
        s.drain(2);
        assertThat(s.metrics.served).isEqualTo(1);
        c.failOneReplica(0, 5);
        assertThat(c.failures()).isEqualTo(1);
        assertThat(s.metrics.served).isZero();
        assertThat(s.metrics.sloMet).isZero();
        assertThat(s.metrics.total.getTotalCount()).isZero();
        assertThat(s.queued()).isEqualTo(1);
        assertThat(s.inService()).isZero();
        balances(s);
        s.drain(100);
        c.observe(Instant.EPOCH.plusSeconds(100)); // books the completions up to 100 s
        assertThat(s.metrics.served).isEqualTo(1);
        assertThat(s.metrics.sloMet).isEqualTo(1);
        assertThat(ModelMetrics.quantileSeconds(s.metrics.total, 0.5)).isCloseTo(14, offset(0.1));
        assertThat(s.completedRequests()).isEqualTo(1); // once, by B at 15 s, not by A at 11 s as well
        balances(s);
    }

    @Test
    void aRequestBackInTheQueueTimesOutFromItsArrival() {
        // timeout 8 s: the request of 1 s is lost at 10 s, when it has waited 9 s: it gives up, it is not served again
        SimulatedCluster c = cluster(2, 1, 10, 8, false);
        ModelServer s = c.server(0);
        s.arrive(1, 10f);
        s.drain(2);
        c.failOneReplica(0, 10);
        s.drain(100);
        assertThat(s.metrics.served).isZero();
        assertThat(s.metrics.timedOut).isEqualTo(1);
        balances(s);
    }

    @Test
    void aRequestOfTheBatchThatEndedBeforeTheFailureWasServed() {
        // one batch of two (1 s and 2 s, both arrived at 1 s, max batch 2): dispatched at 1 s, the 1 s one done at 2 s, the
        // other at 3 s. The replica fails at 2.5 s: only the 2 s one is lost; B serves it from 2.5 to 4.5 s (latency 3.5 s)
        SimulatedCluster c = cluster(2, 2, 10, 60, false);
        ModelServer s = c.server(0);
        s.arrive(1, 1f);
        s.arrive(1, 2f);
        s.drain(1.5);
        assertThat(s.metrics.served).isEqualTo(2);
        c.failOneReplica(0, 2.5);
        assertThat(s.metrics.served).isEqualTo(1);
        assertThat(s.queued()).isEqualTo(1);
        s.drain(100);
        c.observe(Instant.EPOCH.plusSeconds(100));
        assertThat(s.metrics.served).isEqualTo(2);
        assertThat(s.completedRequests()).isEqualTo(2);
        assertThat(ModelMetrics.quantileSeconds(s.metrics.total, 1.0)).isCloseTo(3.5, offset(0.05));
        balances(s);
    }

    @Test
    void withIterationLevelBatchingOnlyTheSlotsStillRunningAreLost() {
        // two slots per replica: a (10 s) at 1 s and b (2 s) at 2 s join A (a done at 11 s, b at 4 s). A fails at 4.5 s: b was
        // served, a is lost, and B takes it at 4.5 s: done 14.5 s, latency 13.5 s
        SimulatedCluster c = cluster(2, 2, 10, 60, true);
        ModelServer s = c.server(0);
        s.arrive(1, 10f);
        s.arrive(2, 2f);
        s.drain(3);
        assertThat(s.inService()).isEqualTo(2);
        c.failOneReplica(0, 4.5);
        assertThat(s.metrics.served).isEqualTo(1);
        assertThat(s.queued()).isEqualTo(1);
        s.drain(100);
        c.observe(Instant.EPOCH.plusSeconds(100));
        assertThat(s.metrics.served).isEqualTo(2);
        assertThat(s.completedRequests()).isEqualTo(2);
        assertThat(ModelMetrics.quantileSeconds(s.metrics.total, 1.0)).isCloseTo(13.5, offset(0.1));
        balances(s);
    }

    @Test
    void aLostRequestTheQueueHasNoRoomForIsDropped() {
        // one replica, a queue of 1: a (1 s) runs, b (2 s) waits; the replica fails at 5 s: a has no room, it is dropped
        SimulatedCluster c = cluster(1, 1, 1, 60, false);
        ModelServer s = c.server(0);
        s.arrive(1, 10f);
        s.arrive(2, 10f);
        s.drain(3);
        c.failOneReplica(0, 5);
        assertThat(s.metrics.served).isZero();
        assertThat(s.metrics.dropped).isEqualTo(1);
        assertThat(s.queued()).isEqualTo(1);
        balances(s);
    }

    @Test
    void aRequestDispatchedInTheWarmUpAndLostAfterItArrivesInTheScoredWindow() {
        // dispatched at 1 s, scoring starts at 3 s (nothing waiting: 0 arrived), the replica fails at 5 s: the request
        // counts as arriving in the scored window, and is served there (by B, from 5 s)
        SimulatedCluster c = cluster(2, 1, 10, 60, false);
        ModelServer s = c.server(0);
        s.arrive(1, 10f);
        s.drain(2);
        c.startScoring(3);
        assertThat(s.metrics.arrived).isZero();
        c.failOneReplica(0, 5);
        assertThat(s.metrics.arrived).isEqualTo(1);
        assertThat(s.metrics.served).isZero();
        s.drain(100);
        assertThat(s.metrics.served).isEqualTo(1);
        balances(s);
    }
}
