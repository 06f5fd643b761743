package io.prescale.simulator.cost;

import io.prescale.core.model.ModelSpec;
import io.prescale.simulator.metrics.RunResult.SeriesRow;

import java.util.List;

/**
 * One model's paid and busy replicas over a run's report rows, and what capping it (and dropping its floor)
 * would save to first order: the arithmetic of {@link Recommender}'s idle recommendation.
 *
 * @param utilization         replica-hours serving / replica-hours paid over the run
 * @param meanHeld            mean replicas paid over the run
 * @param peakBusy            the most mean busy replicas of any report row
 * @param cap                 min(maxReplicas, max(1, ⌈peakBusy / {@link Recommender#IDLE_TARGET_UTILIZATION}⌉))
 * @param predictedSavingUsd  Σ row replica cost (its cost less its spare part) × (1 − after / held), after = min(held, cap), or 0 for a row that served
 *                            nothing while a minReplicas floor alone held its replicas
 */
record IdleSizing(double utilization, double meanHeld, double peakBusy, int cap, double predictedSavingUsd) {

    /**
     * Replicas held come from the replica-hours each row records, not from its cost: a replica alone on a shared
     * GPU, or a node draining after its last replica left, is billed more than its share, which would read as more
     * replicas held and a model far less busy than it is.
     *
     * @param end the end of the scored window, which clips the last row
     * @return null when the model held no replica
     */
    static IdleSizing of(List<SeriesRow> rows, ModelSpec spec, double reportSeconds, double end) {
        double heldHours = 0, busyHours = 0, peakBusy = 0, spanHours = 0;
        for (SeriesRow r : rows) {
            double hours = Math.min(reportSeconds, end - r.start()) / 3600;
            if (!(hours > 0)) continue;
            heldHours += r.replicaHours();
            busyHours += r.busyReplicaHours();
            spanHours += hours;
            peakBusy = Math.max(peakBusy, r.busyReplicaHours() / hours);
        }
        if (!(heldHours > 0)) return null;
        int cap = Math.min(spec.maxReplicas(), Math.max(1, (int) Math.ceil(peakBusy / Recommender.IDLE_TARGET_UTILIZATION - 1e-9)));
        double saving = 0;
        for (SeriesRow r : rows) {
            double hours = Math.min(reportSeconds, end - r.start()) / 3600;
            double cost = r.costUsd() - r.spareUsd(); // its replicas' own: a cap does not move the pool's spare nodes
            if (!(hours > 0) || !(cost > 0) || !(r.replicaHours() > 0)) continue;
            double held = r.replicaHours() / hours;
            boolean floorHeldIdle = spec.minReplicas() > 0 && r.busyReplicaHours() == 0 && held <= spec.minReplicas() + 1e-9;
            double after = floorHeldIdle ? 0 : Math.min(held, cap);
            saving += cost * (1 - after / held);
        }
        return new IdleSizing(busyHours / heldHours, heldHours / spanHours, peakBusy, cap, saving);
    }
}
