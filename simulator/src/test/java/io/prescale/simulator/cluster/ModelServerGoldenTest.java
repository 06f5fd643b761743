package io.prescale.simulator.cluster;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.simulator.TestSpecs;
import io.prescale.simulator.metrics.ModelMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A few requests through one model's queue and replicas, with the expected figures worked out by hand.
 * Profile: base 1 s + 0.5 s per item, so a single request takes 1.5 s (its isolated service time) and a
 * batch of 2 takes 2.0 s (stretch 2.0 / 1.5 applied to the longest request in the batch).
 */
class ModelServerGoldenTest {
    static final LatencyProfile PROFILE = LatencyProfile.linear(1.0, 0.5);
    static final float SINGLE = 1.5f; // isolated service time of one plain request
    static final double EPS = 1e-9;

    static ModelSpec spec(int maxBatch, double maxDelay, int queueCapacity, double timeout, double slo) {
        return TestSpecs.model("m", "gpu", PROFILE, maxBatch, maxDelay, queueCapacity, timeout, slo);
    }

    static ModelServer server(ModelSpec spec, double... replicaReadyAt) {
        ModelServer s = new ModelServer(0, spec, spec.latency());
        for (double ready : replicaReadyAt) s.add(new Replica(0, null, 1.0, 0, ready));
        return s;
    }

    /** Latency quantile in seconds from the run histogram (2 significant digits: compare within 1 %). */
    static double latency(ModelServer s, double q) {
        return ModelMetrics.quantileSeconds(s.metrics.total, q);
    }

    static void assertBalanced(ModelServer s) {
        ModelMetrics m = s.metrics;
        assertThat(m.arrived).isEqualTo(m.served + m.dropped + m.timedOut + s.queued());
    }

    @Test
    void anArrivalEarlierThanTheLastIsAnErrorNotAHang() {
        // overlapping trace windows once fed 5.0 after 10.0: a queue head no batch could take, and drain never ended
        ModelServer s = server(spec(2, 0.5, 100, 60, 2.5), 0.0);
        s.arrive(10.0, SINGLE);
        s.arrive(10.0, SINGLE); // the same instant is fine
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.arrive(5.0, SINGLE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("model 'm' out of time order: 5.0 s after 10.0 s");
    }

    @Test
    void aFullBatchDispatchesWhenItFillsAndTheRemainderWaitsForTheReplica() {
        // maxBatch 2, max queue delay 0.5 s, SLO 2.5 s, one replica ready at 0.
        ModelServer s = server(spec(2, 0.5, 100, 60, 2.5), 0.0);
        s.arrive(0.0, SINGLE);
        s.arrive(0.1, SINGLE);
        s.arrive(0.2, SINGLE);
        s.drain(Double.POSITIVE_INFINITY);
        // batch 1 = {0.0, 0.1}: full at 0.1, dispatched at 0.1, takes 2.0 s -> done 2.1: latencies 2.1, 2.0
        // batch 2 = {0.2}: head could leave at 0.2 + 0.5 = 0.7 but the replica is busy until 2.1,
        //           so it starts at 2.1 and takes 1.5 s -> done 3.6: latency 3.4
        ModelMetrics m = s.metrics;
        assertThat(m.arrived).isEqualTo(3);
        assertThat(m.served).isEqualTo(3);
        assertThat(m.batches).isEqualTo(2);
        assertThat(m.busySeconds).isCloseTo(2.0 + 1.5, within(1e-6));
        assertThat(s.replicas().get(0).freeAt).isCloseTo(3.6, within(1e-6));
        // 2.1 and 2.0 meet 2.5 s, 3.4 does not: attainment 2/3
        assertThat(m.sloMet).isEqualTo(2);
        assertThat(latency(s, 0.0)).isCloseTo(2.0, within(0.02));
        assertThat(latency(s, 0.5)).isCloseTo(2.1, within(0.021));
        assertThat(latency(s, 1.0)).isCloseTo(3.4, within(0.034));
        assertThat(m.dropped + m.timedOut).isZero();
        assertBalanced(s);
    }

    @Test
    void theHeadLeavesAloneWhenTheQueueDelayExpiresBeforeTheNextArrival() {
        ModelServer s = server(spec(2, 0.5, 100, 60, 10), 0.0);
        s.arrive(0.0, SINGLE);
        s.arrive(0.6, SINGLE);
        s.drain(Double.POSITIVE_INFINITY);
        // {0.0} leaves at 0 + 0.5 = 0.5 alone (1.5 s) -> done 2.0; {0.6} starts when the replica frees at 2.0 -> done 3.5
        assertThat(s.metrics.batches).isEqualTo(2);
        assertThat(s.replicas().get(0).freeAt).isCloseTo(3.5, within(1e-6));
        assertThat(latency(s, 0.0)).isCloseTo(2.0, within(0.02));
        assertThat(latency(s, 1.0)).isCloseTo(2.9, within(0.029));
    }

    @Test
    void anArrivalWithinTheQueueDelayJoinsTheBatch() {
        ModelServer s = server(spec(2, 0.5, 100, 60, 10), 0.0);
        s.arrive(0.0, SINGLE);
        s.arrive(0.4, SINGLE);
        s.drain(Double.POSITIVE_INFINITY);
        // full at 0.4 (before the 0.5 deadline): one batch of 2, 2.0 s -> done 2.4; latencies 2.4 and 2.0
        assertThat(s.metrics.batches).isEqualTo(1);
        assertThat(s.replicas().get(0).freeAt).isCloseTo(2.4, within(1e-6));
        assertThat(latency(s, 1.0)).isCloseTo(2.4, within(0.024));
    }

    @Test
    void aDispatchIsFinalOnlyOnceTimeHasPassedIt() {
        ModelServer s = server(spec(2, 0.5, 100, 60, 10), 0.0);
        s.arrive(0.0, SINGLE);
        s.drain(0.3);
        assertThat(s.queued()).isEqualTo(1); // a request arriving before 0.5 could still join
        s.drain(0.5);
        assertThat(s.queued()).isEqualTo(1); // dispatch time 0.5 is not strictly before 0.5
        s.drain(0.51);
        assertThat(s.queued()).isZero();
        assertThat(s.metrics.served).isEqualTo(1);
    }

    @Test
    void aRequestWaitingLongerThanTheTimeoutIsAbandoned() {
        // maxBatch 1, no queue delay, timeout 1 s
        ModelServer s = server(spec(1, 0, 100, 1.0, 10), 0.0);
        s.arrive(0.0, SINGLE); // served 0 -> 1.5
        s.arrive(0.1, SINGLE); // the replica frees at 1.5: it would wait 1.4 s > 1 s -> timed out
        s.arrive(0.6, SINGLE); // starts at 1.5 after waiting 0.9 s <= 1 s -> done 3.0, latency 2.4
        s.drain(Double.POSITIVE_INFINITY);
        ModelMetrics m = s.metrics;
        assertThat(m.served).isEqualTo(2);
        assertThat(m.timedOut).isEqualTo(1);
        assertThat(s.replicas().get(0).freeAt).isCloseTo(3.0, within(1e-6));
        assertThat(latency(s, 1.0)).isCloseTo(2.4, within(0.024));
        assertBalanced(s);
    }

    @Test
    void withoutReplicasOldRequestsExpireAtTheNextArrival() {
        ModelServer s = server(spec(1, 0, 100, 1.0, 10));
        s.arrive(0.0, SINGLE);
        s.arrive(0.5, SINGLE);
        assertThat(s.metrics.timedOut).isZero();
        s.arrive(2.0, SINGLE); // 0.0 and 0.5 have waited 2.0 and 1.5 s > 1 s
        assertThat(s.metrics.timedOut).isEqualTo(2);
        assertThat(s.queued()).isEqualTo(1);
        assertBalanced(s);
    }

    @Test
    void aFullQueueDropsNewArrivals() {
        ModelServer s = server(spec(1, 0, 2, 60, 10)); // queue capacity 2, no replica
        s.arrive(0.0, SINGLE);
        s.arrive(0.1, SINGLE);
        s.arrive(0.2, SINGLE);
        assertThat(s.metrics.dropped).isEqualTo(1);
        assertThat(s.queued()).isEqualTo(2);
        assertBalanced(s);
    }

    @Test
    void aReplicaStillLoadingDelaysTheFirstDispatch() {
        ModelServer s = server(spec(1, 0, 100, 60, 2.5), 5.0); // ready at 5 s
        assertThat(s.replicasReady(4.9)).isZero();
        assertThat(s.replicasReady(5.0)).isEqualTo(1);
        s.arrive(0.0, SINGLE);
        s.drain(Double.POSITIVE_INFINITY);
        // dispatched at 5.0, done 6.5: latency 6.5 s misses the 2.5 s SLO
        assertThat(s.replicas().get(0).freeAt).isCloseTo(6.5, within(1e-6));
        assertThat(latency(s, 1.0)).isCloseTo(6.5, within(0.065));
        assertThat(s.metrics.sloMet).isZero();
    }

    @Test
    void batchesGoToTheReplicaThatFreesFirst() {
        ModelServer s = server(spec(1, 0, 100, 60, 2.0), 0.0, 0.0);
        s.arrive(0.0, SINGLE);
        s.arrive(0.0, SINGLE);
        s.arrive(0.0, SINGLE);
        s.drain(Double.POSITIVE_INFINITY);
        // two start at 0 on the two replicas (done 1.5); the third starts at 1.5 (done 3.0)
        assertThat(s.metrics.busySeconds).isCloseTo(4.5, within(1e-6));
        assertThat(latency(s, 1.0)).isCloseTo(3.0, within(0.03));
        assertThat(s.metrics.sloMet).isEqualTo(2); // 1.5, 1.5 <= 2.0 < 3.0
    }

    @Test
    void tickIntegralsAreExactTimeAverages() {
        ModelServer s = server(spec(1, 0, 100, 60, 10), 0.0);
        s.arrive(0.0, SINGLE);
        s.drain(1.0);
        // one request in the system and one replica busy over [0, 1.5), nothing over [1.5, 3): 1.5 / 3 = 0.5
        double[] avg = s.closeTick(3.0, 3.0);
        assertThat(avg[0]).isCloseTo(0.5, within(EPS));
        assertThat(avg[1]).isCloseTo(0.5, within(EPS));
        assertThat(s.inService()).isZero();
        double[] next = s.closeTick(6.0, 3.0);
        assertThat(next[0]).isZero();
    }

    @Test
    void withTheActivatorARequestThatFindsNoReplicaIsHeldUntilAStartIsTried() {
        ModelServer s = server(spec(1, 0, 100, 60, 10));
        assertThat(s.holds(7.0)).isFalse(); // activator off: it queues
        s.enableActivator();
        assertThat(s.holds(7.0)).isTrue();
        assertThat(s.holds(7.0)).isTrue(); // until a start is tried
        s.startTried();                      // the pool refused it: that request goes through, to the queue
        assertThat(s.holds(7.0)).isFalse();
        s.arrive(7.0, SINGLE);
        assertThat(s.queued()).isEqualTo(1);
        assertThat(s.holds(8.0)).isTrue();   // the next one is held again
        s.add(new Replica(0, null, 1.0, 9.0, 0.0));
        assertThat(s.holds(8.0)).isFalse();  // with a replica nothing is held
    }

    @Test
    void deadlineAdmissionTurnsAwayOnlyTheRequestThatWouldMissAndSavesTheOneBehindIt() {
        // batch 1, SLO 2.5 s, one replica; arrivals at 0, 0.1 and 1.6
        double[] at = {0.0, 0.1, 1.6};
        ModelServer plain = server(spec(1, 0, 100, 60, 2.5), 0.0);
        ModelServer admit = server(spec(1, 0, 100, 60, 2.5), 0.0);
        admit.enableAdmission();
        for (double t : at) {
            plain.arrive(t, SINGLE);
            admit.arrive(t, SINGLE);
        }
        plain.drain(Double.POSITIVE_INFINITY);
        admit.drain(Double.POSITIVE_INFINITY);
        // without admission: 0 -> done 1.5 (1.5 s, met); 0.1 waits -> 1.5..3.0 (2.9 s, missed);
        // 1.6 waits -> 3.0..4.5 (2.9 s, missed): 1 of 3 met
        assertThat(plain.metrics.served).isEqualTo(3);
        assertThat(plain.metrics.sloMet).isEqualTo(1);
        // with admission: 0.1 would finish at 1.5 + 1.5 = 3.0, 2.9 s > 2.5 s: rejected at once; 1.6 then finds the
        // replica free (since 1.5) -> done 3.1 (1.5 s, met): 2 of 3 met, one turned away early
        assertThat(admit.metrics.served).isEqualTo(2);
        assertThat(admit.metrics.dropped).isEqualTo(1);
        assertThat(admit.metrics.rejectedEarly).isEqualTo(1);
        assertThat(admit.metrics.sloMet).isEqualTo(2);
        assertBalanced(admit);
    }

    @Test
    void admissionCountsTheBatchAheadOnTheOnlyReadyReplicaNotOnOneStillLoading() {
        // maxBatch 2, no queue delay, SLO 3.5 s; replica R1 ready at 0, R2 still loading until 100 s; arrivals 0, 0.1, 0.2, 0.3
        ModelServer s = server(spec(2, 0, 100, 60, 3.5), 0.0, 100.0);
        s.enableAdmission();
        for (double t : new double[]{0.0, 0.1, 0.2, 0.3}) s.arrive(t, SINGLE);
        s.drain(Double.POSITIVE_INFINITY);
        // 0 runs alone on R1: 0..1.5. 0.1 and 0.2 batch at 1.5 on R1: done 1.5 + 2.0 = 3.5 (3.4 s and 3.3 s, met).
        // 0.3 would run after them: alone on R1 at 3.5, done 5.0 (4.7 s > 3.5 s): rejected at arrival. The old
        // estimate spread the batch ahead over both replicas (1 batch / 2 replicas = 0 batches ahead) and said
        // 1.5 + 1.5 = 3.0 (2.7 s): admitted, and missed
        assertThat(s.metrics.rejectedEarly).isEqualTo(1);
        assertThat(s.metrics.served).isEqualTo(3);
        assertThat(s.metrics.sloMet).isEqualTo(3);
        assertBalanced(s);
    }

    @Test
    void admissionCountsTheCoLocationSlowdownAndTheBatchingDelay() {
        // batch 1, SLO 2.5 s, one idle replica slowed 2x by its neighbours: 1.5 s alone takes 3.0 s (was estimated 1.5 s)
        ModelServer slowed = server(spec(1, 0, 100, 60, 2.5), 0.0);
        slowed.replicas().get(0).slowdown = 2.0;
        slowed.enableAdmission();
        slowed.arrive(0.0, SINGLE);
        assertThat(slowed.metrics.rejectedEarly).isEqualTo(1);
        // maxBatch 2 with a 1.2 s max queue delay, SLO 2.5 s: a lone request (estimated at the profile's 1.5 s, nothing
        // having been measured yet) waits 1.2 s for company, then 1.5 s (2.7 s)
        ModelServer waiting = server(spec(2, 1.2, 100, 60, 2.5), 0.0);
        assertThat(waiting.estimatedFinish(0.0, 0f, Double.POSITIVE_INFINITY)).isCloseTo(2.7, within(EPS));
        // and with a second request already waiting since 0, the pair dispatches at once when it arrives at 0.5:
        // done at 0.5 + 2.0 = 2.5 (the waiting one's own 0.5 s is not known; either way the request takes its 1.5 s x 4/3)
        waiting.arrive(0.0, 0.5f);
        assertThat(waiting.estimatedFinish(0.5, 0f, Double.POSITIVE_INFINITY)).isCloseTo(2.5, within(EPS));
    }

    @Test
    void admissionWalksTheBatchesAheadWithTheirLongestRequest() {
        // maxBatch 2, no queue delay, one replica; 1.5 s requests (a batch of 2 takes 2.0 s, stretch 4/3), each
        // estimated at 1.5 s (the profile's: none has finished by 0.6). The one at 0 runs alone 0..1.5; 0.1-0.5 wait. A
        // request at 0.6: [0.1, 0.2] at 1.5 -> 3.5, [0.3, 0.4] at 3.5 -> 5.5, its own [0.5, itself] at 5.5 -> 7.5
        ModelServer uniform = server(spec(2, 0, 100, 60, 1000), 0.0);
        for (double t : new double[]{0.0, 0.1, 0.2, 0.3, 0.4, 0.5}) uniform.arrive(t, SINGLE);
        assertThat(uniform.queued()).isEqualTo(5);
        assertThat(uniform.estimatedFinish(0.6, 0f, Double.POSITIVE_INFINITY)).isCloseTo(7.5, within(EPS));
        // 0.3 a 3.0 s request whose 3.0 s is not known at arrival: the same 7.5
        ModelServer hidden = server(spec(2, 0, 100, 60, 1000), 0.0);
        for (double t : new double[]{0.0, 0.1, 0.2, 0.3, 0.4, 0.5}) hidden.arrive(t, t == 0.3 ? 3.0f : SINGLE);
        assertThat(hidden.estimatedFinish(0.6, 0f, Double.POSITIVE_INFINITY)).isCloseTo(7.5, within(EPS));
        // the same with 1.5 s of it known at arrival (its input tokens): estimated 1.5 + 1.5 = 3.0 s, [0.3, 0.4] takes
        // 4/3 x 3.0 = 4.0 s, 3.5 -> 7.5; its own batch 7.5 -> 9.5
        ModelServer varied = server(spec(2, 0, 100, 60, 1000), 0.0);
        for (double t : new double[]{0.0, 0.1, 0.2, 0.3, 0.4, 0.5}) varied.arrive(t, t == 0.3 ? 3.0f : SINGLE, t == 0.3 ? 1.5f : 0f);
        assertThat(varied.estimatedFinish(0.6, 0f, Double.POSITIVE_INFINITY)).isCloseTo(9.5, within(EPS));
    }

    @Test
    void admissionWithContinuousBatchingWaitsForTheEarliestFreeSlot() {
        // maxBatch 2 slots, SLO 5 s, one replica: a 4 s request, 2.5 s of it known at arrival (its input tokens), and a
        // 1.5 s one at 0 fill both slots. Estimated at 2.5 + 1.5 = 4 s and 1.5 s (the profile's time for what is not
        // known: nothing has finished), stretch 4/3: they end at 5.33 and 2.0; a request at 0.1 joins the slot freed at
        // 2.0 next to the long one: 2.0 + 4/3 x 1.5 = 4.0
        ModelServer s = server(spec(2, 0, 100, 60, 5), 0.0);
        s.enableContinuousBatching();
        s.arrive(0.0, 4.0f, 2.5f);
        s.arrive(0.0, SINGLE);
        s.drain(0.05);
        assertThat(s.estimatedFinish(0.1, 0f, Double.POSITIVE_INFINITY)).isCloseTo(4.0, within(1e-6));
        // with none of the 4 s known, both slots are estimated to end at 0 + 4/3 x 1.5 = 2.0: the request joins at 2.0,
        // the other slot estimated free too, and runs alone: 2.0 + 1.5 = 3.5
        ModelServer hidden = server(spec(2, 0, 100, 60, 5), 0.0);
        hidden.enableContinuousBatching();
        hidden.arrive(0.0, 4.0f);
        hidden.arrive(0.0, SINGLE);
        hidden.drain(0.05);
        assertThat(hidden.estimatedFinish(0.1, 0f, Double.POSITIVE_INFINITY)).isCloseTo(3.5, within(1e-6));
    }

    // ---- iteration-level (continuous) batching: a request takes a free slot of a running batch ----
    // Same profile: stretch at 2 requests is 2.0 / 1.5 = 4/3, at 1 request 1; a request's stretch is fixed when it joins.

    @Test
    void continuousBatchingLetsShortRequestsPassALongOneWhereWholeBatchesMakeThemWait() {
        // one replica, maxBatch 2, SLO 5 s; a 10 s request and a 1.5 s one at 0, two 1.5 s ones at 0.1 and 0.2
        double[] latencies = new double[2];
        for (boolean continuous : new boolean[]{true, false}) {
            ModelServer s = server(spec(2, 0.5, 100, 60, 5), 0.0);
            if (continuous) s.enableContinuousBatching();
            s.arrive(0.0, 10f);
            s.arrive(0.0, SINGLE);
            s.arrive(0.1, SINGLE);
            s.arrive(0.2, SINGLE);
            s.drain(Double.POSITIVE_INFINITY);
            ModelMetrics m = s.metrics;
            assertThat(m.served).isEqualTo(4);
            assertBalanced(s);
            if (continuous) {
                // at 0 both slots take the two at 0 (4/3 each): done 13.333 and 2.0. The 0.1 one takes the freed
                // slot at 2.0 -> 4.0 (latency 3.9), the 0.2 one at 4.0 -> 6.0 (5.8): 2.0 and 3.9 meet 5 s
                assertThat(m.sloMet).isEqualTo(2);
                assertThat(latency(s, 0.5)).isCloseTo(3.9, within(0.039));
                assertThat(latency(s, 1.0)).isCloseTo(13.333, within(0.14));
                assertThat(s.replicas().get(0).freeAt).isCloseTo(6.0, within(1e-6));
                assertThat(s.replicas().get(0).servingUntil()).isCloseTo(40.0 / 3, within(1e-6));
                // busy while any slot is: 0 to 13.333; requests in the system add up to 13.333 + 2 + 3.9 + 5.8
                assertThat(m.busySeconds).isCloseTo(40.0 / 3, within(1e-6));
                double[] avg = s.closeTick(20.0, 20.0);
                assertThat(avg[0]).isCloseTo((40.0 / 3 + 2.0 + 3.9 + 5.8) / 20, within(1e-6));
                assertThat(avg[1]).isCloseTo(40.0 / 3 / 20, within(1e-6));
            } else {
                // whole batches: {10, 1.5} at 0 holds the replica to 13.333; {0.1, 0.2} then runs to 15.333
                assertThat(m.sloMet).isEqualTo(1);
                assertThat(latency(s, 1.0)).isCloseTo(15.233, within(0.16));
            }
            latencies[continuous ? 0 : 1] = latency(s, 0.75);
        }
        assertThat(latencies[0]).isLessThan(latencies[1]);
    }

    @Test
    void aLaterLongRequestExtendsTheReplicasBusySpellWithoutCountingItTwice() {
        ModelServer s = server(spec(2, 0.5, 100, 60, 60), 0.0);
        s.enableContinuousBatching();
        s.arrive(0.0, SINGLE);  // alone, at once (no batch to fill): 0 -> 1.5
        s.arrive(1.0, 10f);     // joins the free slot at 1.0 beside it (4/3): 1.0 -> 14.333
        s.drain(Double.POSITIVE_INFINITY);
        // one busy spell, 0 to 14.333: the first spell's end at 1.5 is cancelled, not counted as idle
        assertThat(s.metrics.busySeconds).isCloseTo(1.0 + 40.0 / 3, within(1e-6));
        double[] avg = s.closeTick(20.0, 20.0);
        assertThat(avg[1]).isCloseTo((1.0 + 40.0 / 3) / 20, within(1e-6));
        assertThat(s.inService()).isZero();
        assertThat(s.metrics.sloMet).isEqualTo(2);
    }

    @Test
    void continuousBatchingChangesNothingAtMaxBatchOne() {
        ModelServer s = server(spec(1, 0.5, 100, 60, 60), 0.0);
        s.enableContinuousBatching();
        assertThat(s.continuousBatching()).isFalse();
    }
}
