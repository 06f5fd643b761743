package io.prescale.simulator.cluster;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.simulator.TestSpecs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scale-down or a preemption picks, among busy replicas, the one estimated to finish first: it decides before the
 * running batches end, so it cannot read their true ends. A failure (the world, not a decision) may strike by the truth.
 */
class VictimsByEstimateTest {

    @Test
    void aBusyReplicaIsStoppedByItsEstimatedEndNotItsTrueOne() {
        // maxBatch 1, 1 s base (nothing has ended yet, so every request is estimated at the profile's 1 s); two replicas.
        // a request at 0 takes 8 s on one replica; one at 0.5 takes 1 s on the other. At 0.6 both are busy: by estimate
        // the first ends at 1 and the second at 1.5, so the first is stopped first; by their true ends (8 and 1.5)
        // it would be the second.
        Replica a = new Replica(0, null, 1.0, 0, 0.0), b = new Replica(0, null, 1.0, 0, 0.0);
        ModelServer s = serverWith(a, b);
        s.arrive(0.0, 8f);
        s.drain(0.4);
        Replica first = a.servingUntil() > 0.6 ? a : b; // the one that took the 8 s request
        Replica second = first == a ? b : a;
        s.arrive(0.5, 1f);
        s.drain(0.6);
        assertThat(first.servingUntil()).isEqualTo(8.0);
        assertThat(second.servingUntil()).isEqualTo(1.5);
        assertThat(s.chooseVictims(1, 0.6)).containsExactly(first);
        assertThat(s.chooseVictims(2, 0.6)).containsExactly(first, second);
        // the failure model strikes the replica with the most work still to do, by the truth
        assertThat(s.failureVictim(0.6)).isSameAs(first);
    }

    /** maxBatch 1, a 1 s profile, no history (so every request is estimated at 1 s), on replicas {@code a} and {@code b}. */
    private static ModelServer serverWith(Replica a, Replica b) {
        ModelSpec spec = TestSpecs.model("m", "gpu", LatencyProfile.linear(1.0, 0), 1, 0, 100, 600, 60);
        ModelServer s = new ModelServer(0, spec, LatencyProfile.linear(1.0, 0));
        s.add(a);
        s.add(b);
        return s;
    }

    @Test
    void idleReplicasGoBeforeBusyOnes() {
        Replica a = new Replica(0, null, 1.0, 0, 0.0), b = new Replica(0, null, 1.0, 0, 0.0);
        ModelServer s = serverWith(a, b);
        s.arrive(0.0, 8f);
        s.drain(0.5);
        Replica busy = a.servingUntil() > 0.5 ? a : b;
        Replica idle = busy == a ? b : a;
        assertThat(s.chooseVictims(1, 0.5)).containsExactly(idle);
    }
}
