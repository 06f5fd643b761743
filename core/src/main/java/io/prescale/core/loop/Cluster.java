package io.prescale.core.loop;

import io.prescale.core.policy.Decision;
import io.prescale.core.policy.Observation;

import java.time.Instant;
import java.util.List;

/** What the IRM loop drives: the simulated cluster, or the live runner's pools. */
public interface Cluster {

    /** Snapshot at {@code now} covering the interval since the previous call; starts a new interval. */
    Observation observe(Instant now);

    /** Carries out one decision with the cluster's real delays (provisioning, model load). */
    void apply(Decision decision);

    /**
     * Carries out one tick's decisions. In order by default; a cluster may order the placements within a tick
     * (a first-fit-decreasing packer places the largest replicas first, after the tick's scale-downs).
     */
    default void applyAll(List<Decision> decisions) {
        for (Decision d : decisions) apply(d);
    }
}
