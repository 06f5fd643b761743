package io.prescale.simulator.engine;

import io.prescale.simulator.cluster.ModelServer;
import io.prescale.simulator.cluster.SimulatedCluster;
import io.prescale.simulator.workload.ArrivalSource;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Brings every model's arrivals up to the next event's time. Models are independent between events, so their
 * arrivals can be streamed one model after another, or in parallel; not with the activator on (a policy that scales
 * from zero on arrival), where a request that finds its model without a replica starts one at its time, and that
 * start may take the pool's last room or another model's replica (preemption, a MIG reconfiguration). It must come
 * when every other model has been served up to that time: not before (it would read a stale cluster), not after (it
 * would read arrivals still to come, or lose the room to a start that comes later). So each model without a replica
 * is advanced to its first arrival, which its source holds ({@link ModelServer#holds}); every other model to the
 * earliest held arrival; that start is made; and so on until no arrival is held before the event.
 */
final class Arrivals {
    private final ArrivalSource[] sources;
    private final SimulatedCluster cluster;
    private final boolean parallel;
    private final boolean activator;
    private final double[] held; // the arrival time model i's source holds for a replica start; NaN when none

    Arrivals(ArrivalSource[] sources, SimulatedCluster cluster, boolean parallel, boolean activator) {
        this.sources = sources;
        this.cluster = cluster;
        this.parallel = parallel && !activator;
        this.activator = activator;
        this.held = new double[sources.length];
        Arrays.fill(held, Double.NaN);
        if (activator) cluster.enableActivator();
    }

    void advanceTo(double t) {
        if (!activator) {
            if (parallel) IntStream.range(0, sources.length).parallel().forEach(i -> advance(i, t));
            else for (int i = 0; i < sources.length; i++) advance(i, t);
            return;
        }
        while (true) {
            double first = t;
            int who = -1;
            for (int i = 0; i < sources.length; i++) {
                if (Double.isNaN(held[i]) && cluster.server(i).replicaCount() == 0) {
                    double at = sources[i].advanceTo(t);
                    if (at < t) held[i] = at;
                }
                if (held[i] < first) { // NaN compares false
                    first = held[i];
                    who = i;
                }
            }
            for (int i = 0; i < sources.length; i++) if (Double.isNaN(held[i])) advance(i, first);
            if (who < 0) return;
            held[who] = Double.NaN;
            cluster.startFromZero(who, first);
            if (cluster.server(who).replicaCount() == 0) cluster.server(who).startTried(); // refused: the request queues
        }
    }

    private void advance(int i, double t) {
        sources[i].advanceTo(t);
        cluster.server(i).drain(t);
    }
}
