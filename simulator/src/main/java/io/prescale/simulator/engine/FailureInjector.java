package io.prescale.simulator.engine;

import io.prescale.simulator.cluster.SimulatedCluster;

import java.util.SplittableRandom;

/**
 * Replica failures as a Poisson process with the given mean time between failures per replica. A failed
 * replica disappears at once (the requests it was running and had not finished go back to the head of the model's
 * queue, waiting since their arrival: {@code ModelServer.lose}) and the cluster starts a replacement at the next tick,
 * paying the cold start again. Off when the MTBF is 0.
 */
final class FailureInjector {
    private final double mtbfSeconds;
    private final SplittableRandom random;

    FailureInjector(double mtbfHours, long seed) {
        this.mtbfSeconds = mtbfHours * 3600;
        this.random = new SplittableRandom(seed ^ 0xFA11L);
    }

    SimEvent next(SimulatedCluster c, double t, double tick, long seq) {
        if (mtbfSeconds <= 0) return null;
        int replicas = c.replicasTotal();
        if (replicas == 0) return null;
        double p = 1 - Math.exp(-replicas * tick / mtbfSeconds);
        if (random.nextDouble() >= p) return null;
        int pick = random.nextInt(replicas);
        for (int i = 0; i < c.models(); i++) {
            int n = c.server(i).replicaCount();
            if (pick < n) return new SimEvent.ReplicaFailure(t + random.nextDouble() * tick, seq, i);
            pick -= n;
        }
        return null;
    }

    void fail(SimulatedCluster c, int model, double t) {
        c.failOneReplica(model, t);
    }
}
