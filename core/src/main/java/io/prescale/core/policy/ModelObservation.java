package io.prescale.core.policy;

import io.prescale.core.model.ModelSpec;

/**
 * One model at one control tick, over the interval since the previous tick.
 *
 * @param arrivals        requests that arrived in the interval
 * @param queued          requests waiting for a replica now
 * @param inService       requests being served now
 * @param meanConcurrency time-averaged requests in the system over the interval (waiting + in service)
 * @param busyFraction    mean share of ready replicas that were serving, in [0, 1] (NaN if none ready)
 * @param p99LatencySeconds p99 latency of the requests finished in the interval (NaN if none)
 * @param sloAttainment   share of finished requests that met the SLO in the interval (NaN if none)
 * @param replicasReady   replicas that can serve now
 * @param replicasStarting replicas placed but still waiting for a node or loading
 * @param dropped         arrivals rejected in the interval (queue full, or no capacity allowed)
 * @param timedOut        requests that waited past the timeout in the interval
 * @param demandMasked    the trace has no data for this interval (outage, collection gap): not zero demand
 */
public record ModelObservation(ModelSpec spec, long arrivals, int queued, int inService, double meanConcurrency,
                               double busyFraction, double p99LatencySeconds, double sloAttainment,
                               int replicasReady, int replicasStarting, long dropped, long timedOut,
                               boolean demandMasked) {

    public String model() {
        return spec.id();
    }

    /** Replicas ready plus those on the way: what the model will have once nothing new is asked. */
    public int replicas() {
        return replicasReady + replicasStarting;
    }
}
