package io.prescale.simulator.cluster;

import io.prescale.core.model.ModelSpec;
import io.prescale.core.resource.SharingMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.prescale.simulator.TestSpecs.GB;
import static io.prescale.simulator.TestSpecs.gpu;
import static io.prescale.simulator.TestSpecs.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A long run of scale-ups and downs: the pool keeps only the nodes something still needs (active ones and those
 * draining a batch), not every node it ever had, and the bill of the ones it let go stays exact.
 */
class ReleasedNodesAreNotKeptTest {

    @Test
    void nodeChurnKeepsOnlyLiveNodesAndTheBillStaysExact() {
        SimulatedPool p = SimulatedPoolTest.pool(SharingMode.EXCLUSIVE); // $3.60 per node-hour
        ModelSpec spec = model("m", "h100-80gb", gpu(GB, 1, null), Duration.ZERO);
        int cycles = 10_000;
        int maxHeld = 0;
        for (int k = 0; k < cycles; k++) {
            double t = k * 100.0;
            p.now = t;
            Replica r = p.place(0, spec, t);          // a node provisioned at t
            p.now = t + 50;
            p.detach(r, t + 50, t + 60);              // its last batch runs to t + 60: released then, draining till
            maxHeld = Math.max(maxHeld, p.nodesHeld());
            p.now = t + 60;
            p.nodesBilled();                          // the next tick's observation: the drained node goes
            maxHeld = Math.max(maxHeld, p.nodesHeld());
        }
        assertThat(p.releasedNodeCount()).isEqualTo(cycles);
        assertThat(p.nodesHeld()).isZero();
        assertThat(maxHeld).isEqualTo(1);             // each node held only while it runs or drains
        // every node billed from provisioning (t) to release (t + 60): 10,000 x 60 s = 600,000 s = 166.67 h x $3.60 = $600
        double end = cycles * 100.0;
        assertThat(p.nodeSeconds(end)).isCloseTo(600_000.0, within(1e-6));
        assertThat(p.costUsd(end)).isCloseTo(600.0, within(1e-9));
    }

    @Test
    void scoringFromAWarmUpCountsNoneOfTheNodesReleasedBeforeIt() {
        SimulatedPool p = SimulatedPoolTest.pool(SharingMode.EXCLUSIVE);
        ModelSpec spec = model("m", "h100-80gb", gpu(GB, 1, null), Duration.ZERO);
        Replica a = p.place(0, spec, 0);
        p.now = 100;
        p.detach(a, 100, 100);                        // released at 100, let go at once
        Replica b = p.place(0, spec, 150);            // provisioned at 150, before the bill starts at 200
        p.now = 200;
        p.startScoring(200);
        p.now = 400;
        p.detach(b, 400, 400);
        // only b's 200..400 is scored: a's 0..100 and b's 150..200 lie in the warm-up
        assertThat(p.nodeSeconds(400)).isEqualTo(200.0);
        assertThat(p.nodesHeld()).isZero();
    }
}
