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
 * @param cap                 max(1, ⌈peakBusy / {@link Recommender#IDLE_TARGET_UTILIZATION}⌉)
 * @param predictedSavingUsd  Σ row cost × (1 − after / held), after = min(held, cap), or 0 for a row that served
 *                            nothing while a minReplicas floor alone held its replicas
 */
record IdleSizing(double utilization, double meanHeld, double peakBusy, int cap, double predictedSavingUsd) {

    /**
     * @param replicaPricePerHour what one replica of {@code spec} costs an hour (node price × its node share)
     * @param end                 the end of the scored window, which clips the last row
     * @return null when the model paid for no replica-time or {@code replicaPricePerHour} is not positive
     */
    static IdleSizing of(List<SeriesRow> rows, ModelSpec spec, double replicaPricePerHour, double reportSeconds, double end) {
        if (!(replicaPricePerHour > 0)) return null;
        double heldHours = 0, busyHours = 0, peakBusy = 0, spanHours = 0;
        for (SeriesRow r : rows) {
            double hours = Math.min(reportSeconds, end - r.start()) / 3600;
            if (!(hours > 0)) continue;
            heldHours += r.costUsd() / replicaPricePerHour;
            busyHours += r.busyReplicaHours();
            spanHours += hours;
            peakBusy = Math.max(peakBusy, r.busyReplicaHours() / hours);
        }
        if (!(heldHours > 0)) return null;
        int cap = Math.max(1, (int) Math.ceil(peakBusy / Recommender.IDLE_TARGET_UTILIZATION - 1e-9));
        double saving = 0;
        for (SeriesRow r : rows) {
            double hours = Math.min(reportSeconds, end - r.start()) / 3600;
            if (!(hours > 0) || !(r.costUsd() > 0)) continue;
            double held = r.costUsd() / replicaPricePerHour / hours;
            boolean floorHeldIdle = spec.minReplicas() > 0 && r.busyReplicaHours() == 0 && held <= spec.minReplicas() + 1e-9;
            double after = floorHeldIdle ? 0 : Math.min(held, Math.min(cap, spec.maxReplicas()));
            saving += r.costUsd() * (1 - after / held);
        }
        return new IdleSizing(busyHours / heldHours, heldHours / spanHours, peakBusy, cap, saving);
    }
}
