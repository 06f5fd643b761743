package io.prescale.simulator.engine;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.core.trace.TraceRecord;
import io.prescale.simulator.cluster.SimulatedCluster;
import io.prescale.simulator.workload.ArrivalSource;
import io.prescale.simulator.workload.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the activator on, replica starts asked for by arrivals happen in time order across models, whatever the
 * models' order in the catalog: a start may take the pool's last room, so the first request to ask gets it.
 */
class ArrivalsTest {
    /** One GPU at most, 60 s to provision. */
    static final PoolShape ONE_GPU = new PoolShape("gpu", "test", 1, 80_000_000_000L, 8, 0, 1.0, Duration.ofSeconds(60),
            SharingMode.EXCLUSIVE, 0, 1, "test");

    static ModelSpec spec(String id, PriorityClass p) {
        return new ModelSpec(id, "gpu", new ResourceNeeds(1, 0, 40_000_000_000L, 1, null), Map.of("gpu", LatencyProfile.linear(0.1, 0.01)),
                4, Duration.ZERO, 100, Duration.ofSeconds(600), new Slo(Duration.ofSeconds(100), 0, 0.99), p, Duration.ofSeconds(10), 0, 10);
    }

    static TraceRecord.Request request(long atSeconds, String model) {
        return new TraceRecord.Request(Instant.EPOCH.plusSeconds(atSeconds), model, 0.1, -1, -1);
    }

    /** Models "a" then "b" (catalog order), both at zero replicas, the activator on, streamed to {@code t}. */
    static SimulatedCluster advancedTo(double t, TraceRecord.Request... requests) {
        Workload w = Workload.load("hand-made", new ListTraceReader(List.of(requests)));
        List<ModelSpec> specs = List.of(spec("a", PriorityClass.NORMAL), spec("b", PriorityClass.NORMAL));
        SimulatedCluster c = new SimulatedCluster(w.origin(), List.of(ONE_GPU), specs, SimulatedCluster.Gaps.NONE);
        ArrivalSource[] sources = new ArrivalSource[specs.size()];
        for (int i = 0; i < sources.length; i++)
            sources[i] = ArrivalSource.of(w, w.models().indexOf(specs.get(i).id()), c.server(i), specs.get(i).latency(), 0, 100, 1, 1.0);
        new Arrivals(sources, c, false, true).advanceTo(t);
        return c;
    }

    @Test
    void theEarlierRequestGetsThePoolsLastRoomNotTheModelListedFirst() {
        // both models at zero replicas, room for one replica. "b" (listed second) gets a request at 0 s, "a" (listed
        // first) at 10 s: b's replica starts at 0 on the one GPU; a's start at 10 finds the pool full (same class: no
        // preemption) and its request waits in the queue. Streaming a's arrivals before b's gave a the GPU at 10 and
        // refused b's start at 0, a start decided on an arrival 10 s in its future.
        SimulatedCluster c = advancedTo(30, request(0, "b"), request(10, "a"));

        assertThat(c.server(1).replicaCount()).isEqualTo(1);
        assertThat(c.server(0).replicaCount()).isZero();
        assertThat(c.server(0).queued()).isEqualTo(1); // a's request, let through after the refused start
        assertThat(c.server(1).queued()).isEqualTo(1); // b's, waiting for its replica (60 s node + 10 s load)
    }

    @Test
    void aRefusedStartLetsItsRequestQueueAndTheNextArrivalAsksAgain() {
        // "a" takes the GPU at 0; "b" asks at 5 and 8 (refused both times: two requests queued, no replica); the engine
        // must not loop on the held request after a refusal
        SimulatedCluster c = advancedTo(30, request(0, "a"), request(5, "b"), request(8, "b"));

        assertThat(c.server(0).replicaCount()).isEqualTo(1);
        assertThat(c.server(1).replicaCount()).isZero();
        assertThat(c.server(1).queued()).isEqualTo(2);
    }
}
