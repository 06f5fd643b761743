package io.prescale.simulator.cluster;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.simulator.TestSpecs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Deadline admission, the deadline slack and the attainment slack of the preemption decide from what a live system
 * knows at the time: a queued request's service by its estimate (the mean measured so far, plus the part known at
 * arrival), a running batch's end by its start and its requests' estimates, and outcomes of requests that have ended.
 * Never the request's own service time, which the server only uses to serve it.
 */
class AdmissionKnowsOnlyEstimatesTest {
    static final double EPS = 1e-9;

    /** maxBatch 1, no batching delay, SLO {@code slo} seconds; one replica ready at 0; deadline admission. */
    static ModelServer server(LatencyProfile profile, double slo) {
        ModelSpec spec = TestSpecs.model("m", "gpu", profile, 1, 0, 100, 600, slo);
        ModelServer s = new ModelServer(0, spec, profile);
        s.add(new Replica(0, null, 1.0, 0, 0.0));
        s.enableAdmission();
        return s;
    }

    /** The same with a 1 s base (the profile's single request takes 1 s) and an SLO of 5 s. */
    static ModelServer server() {
        return server(LatencyProfile.linear(1.0, 0), 5);
    }

    @Test
    void aQueuedRequestsOwnServiceTimeDoesNotChangeTheDecision() {
        // 0 runs 0..1; 0.1 and 0.2 wait. Each is estimated at 1 s (nothing has ended: the profile's time). A request at
        // 0.3 is estimated to run after them: 0.1 at 1..2, 0.2 at 2..3, itself 3..4, 3.7 s < 5 s: admitted, whether 0.2
        // will take 1 s or 8 s. (Reading 0.2's 8 s, the estimate was 2..10 and 10..11, 10.7 s: rejected.)
        for (float hidden : new float[]{1f, 8f}) {
            ModelServer s = server();
            s.arrive(0.0, 1f);
            s.arrive(0.1, 1f);
            s.arrive(0.2, hidden);
            assertThat(s.estimatedFinish(0.3, 0f, Double.POSITIVE_INFINITY)).as("0.2 takes %s s", hidden).isCloseTo(4.0, within(EPS));
            assertThat(s.deadlineSlack(0.3)).as("0.2 takes %s s", hidden).isCloseTo(0.2 + 5 - 3.0, within(EPS));
            s.arrive(0.3, 1f);
            assertThat(s.metrics.rejectedEarly).as("0.2 takes %s s", hidden).isZero();
            assertThat(s.queued()).isEqualTo(3);
        }
    }

    @Test
    void aRunningBatchsTrueEndDoesNotChangeTheDecision() {
        // 0 starts at 0 on the only replica; estimated at 1 s, it is expected to end at 1 whether it takes 1 s or 8 s. A
        // request at 0.1 runs after it: 1..2, 1.9 s: admitted. (Reading the batch's true end of 8, 8.9 s: rejected.)
        for (float hidden : new float[]{1f, 8f}) {
            ModelServer s = server();
            s.arrive(0.0, hidden);
            s.drain(0.05);
            assertThat(s.estimatedFinish(0.1, 0f, Double.POSITIVE_INFINITY)).as("0 takes %s s", hidden).isCloseTo(2.0, within(EPS));
            s.arrive(0.1, 1f);
            assertThat(s.metrics.rejectedEarly).as("0 takes %s s", hidden).isZero();
            assertThat(s.deadlineSlack(0.1)).as("0 takes %s s", hidden).isCloseTo(0.1 + 5 - 2.0, within(EPS));
        }
        // once past its estimated end, a batch still running is expected to end now: at 3 the 8 s batch (estimated to
        // end at 1) still runs, so the request waiting since 0.1 starts at 3 at the earliest: 3..4, and one arriving at
        // 3 runs 4..5, 2 s
        ModelServer s = server();
        s.arrive(0.0, 8f);
        s.arrive(0.1, 1f);
        s.drain(3.0);
        assertThat(s.estimatedFinish(3.0, 0f, Double.POSITIVE_INFINITY)).isCloseTo(5.0, within(EPS));
    }

    @Test
    void theServiceEstimateIsTheMeanMeasuredSoFarPlusTheKnownPart() {
        // 1 s base and 0.01 s per input token (priced as the known part; nothing per output token, so whole batches);
        // SLO 10 s
        ModelServer s = server(new LatencyProfile(1.0, 0, 0.01, 0), 10);
        assertThat(s.serviceEstimate()).isEqualTo(1.0); // nothing measured: the profile's single request
        // two requests before the start whose service beyond their known parts summed to 6 s: 3 s each
        s.setServicePrior(6.0, 2);
        assertThat(s.serviceEstimate()).isCloseTo(3.0, within(EPS));
        // at 0 a 5 s request with 100 input tokens (1 s known) starts on the idle replica; true end 5, estimated end
        // 0 + (1 + 3) = 4. At 1 a 2 s request with 50 input tokens (0.5 s known) waits, estimated at 0.5 + 3 = 3.5 s
        // (4..7.5, 6.5 s: admitted)
        s.arrive(0.0, 5f, 1f);
        s.arrive(1.0, 2f, 0.5f);
        assertThat(s.queued()).isEqualTo(1);
        // at 2, one with 0.25 s known: 1@ runs 4..7.5 by the estimates, then itself 7.5 + 0.25 + 3 = 10.75
        assertThat(s.estimatedFinish(2.0, 0.25f, Double.POSITIVE_INFINITY)).isCloseTo(10.75, within(EPS));
        // the first ends at 5 (its 5 s measured, 4 s of it beyond its known second): (6 + 5 - 1) / 3 = 10/3 s. The one
        // from 1 started at 5 and runs (its 2 s not known): estimated to end at 5 + 0.5 + 10/3 = 8.8333; a request at 6
        // with nothing known runs after it: 8.8333 + 10/3 = 12.1667
        s.drain(6.0);
        s.closeTick(6.0, 1.0);
        assertThat(s.completedRequests()).isEqualTo(1);
        assertThat(s.serviceEstimate()).isCloseTo(10.0 / 3, within(EPS));
        assertThat(s.estimatedFinish(6.0, 0f, Double.POSITIVE_INFINITY)).isCloseTo(5 + 0.5 + 20.0 / 3, within(EPS));
        // one at 6 with 4 s known (of 5): 8.8333 + 4 + 10/3 = 16.1667, 10.1667 s over its 10 s SLO: rejected at arrival
        assertThat(s.estimatedFinish(6.0, 4f, Double.POSITIVE_INFINITY) - 6.0).isCloseTo(3.5 + 20.0 / 3, within(EPS));
        s.arrive(6.0, 5f, 4f);
        assertThat(s.metrics.rejectedEarly).isEqualTo(1);
        // with nothing known, 12.1667 - 6 = 6.1667 s: admitted
        s.arrive(6.0, 5f);
        assertThat(s.metrics.rejectedEarly).isEqualTo(1);
        assertThat(s.queued()).isEqualTo(1);
    }

    @Test
    void aKnownPartLargerThanTheServiceIsAnError() {
        ModelServer s = server();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.arrive(0.0, 1f, 2f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model 'm': known part 2.0 s");
    }

    @Test
    void attainmentSoFarCountsOnlyRequestsThatHaveEnded() {
        // 150 requests of 2 s in one batch at 0 (stretch 1): all dispatched at once, all end at 2 s, all over their 1 s SLO
        LatencyProfile profile = LatencyProfile.linear(0.5, 0);
        ModelSpec spec = TestSpecs.model("m", "gpu", profile, 150, 0, 200, 600, 1);
        ModelServer s = new ModelServer(0, spec, profile);
        s.add(new Replica(0, null, 1.0, 0, 0.0));
        for (int k = 0; k < 150; k++) s.arrive(0.0, 2f);
        s.drain(1.0);
        s.closeTick(1.0, 1.0);
        assertThat(s.metrics.served).isEqualTo(150); // dispatched: their latencies are fixed, but none has ended
        // at 1 s none has ended: nothing known, so no attainment risk (it read 0 of 150 met: -0.99)
        assertThat(SimulatedCluster.slack(s)).isZero();
        s.closeTick(3.0, 2.0);
        assertThat(s.metrics.servedFinished).isEqualTo(150);
        assertThat(SimulatedCluster.slack(s)).isCloseTo(0 - 0.99, within(EPS)); // 0 of 150 met, against 0.99
    }
}
