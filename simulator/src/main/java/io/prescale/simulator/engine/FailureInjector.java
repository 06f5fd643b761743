package io.prescale.simulator.engine;

import io.prescale.simulator.cluster.SimulatedCluster;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Replica failures as a Poisson process with the given mean time between failures per replica: over each control
 * tick, at the rate of the replicas there are at its start, as many failures as the process brings (any number, each
 * at its own time in the tick, each striking a replica drawn among them). A failed replica disappears at once (the
 * requests it was running and had not finished go back to the head of the model's queue, waiting since their arrival:
 * {@code ModelServer.lose}) and the cluster starts a replacement at the next tick, paying the cold start again. Off when
 * the MTBF is 0.
 */
final class FailureInjector {
    private final double mtbfSeconds;
    private final SplittableRandom random;

    FailureInjector(double mtbfHours, long seed) {
        this.mtbfSeconds = mtbfHours * 3600;
        this.random = new SplittableRandom(seed ^ 0xFA11L);
    }

    /** The failures drawn for the tick at {@code t}, numbered from {@code seq}, in time order. */
    List<SimEvent> next(SimulatedCluster c, double t, double tick, long seq) {
        if (mtbfSeconds <= 0) return List.of();
        int replicas = c.replicasTotal();
        if (replicas == 0) return List.of();
        double rate = replicas / mtbfSeconds;
        List<SimEvent> out = new ArrayList<>(0);
        // exponential gaps from t: the failures that fall inside the tick (before, at most one was drawn per tick, so
        // a large cluster, or a short MTBF, failed less often than its MTBF says)
        for (double at = t + gap(rate); at < t + tick; at += gap(rate)) {
            int pick = random.nextInt(replicas);
            for (int i = 0; i < c.models(); i++) {
                int n = c.server(i).replicaCount();
                if (pick < n) {
                    out.add(new SimEvent.ReplicaFailure(at, seq++, i));
                    break;
                }
                pick -= n;
            }
        }
        return out;
    }

    private double gap(double rate) {
        return -Math.log(1 - random.nextDouble()) / rate;
    }

    void fail(SimulatedCluster c, int model, double t) {
        c.failOneReplica(model, t);
    }
}
