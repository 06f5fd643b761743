package io.prescale.policies.predictive;

import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;

import java.util.ArrayDeque;

/**
 * A multiplier on the demand a model is sized for, steered by the SLO attainment it has measured over the last
 * {@link #WINDOW_NANOS}: below the target it grows by {@link #UP} per tick (missing the SLO is the expensive side),
 * above the target plus half its error budget it shrinks by {@link #DOWN} per tick, in between it holds. Bounded
 * to [{@link #MIN}, {@link #MAX}]. It turns the fixed safety margins of the sizing (utilisation cap, quantile,
 * anchor safety) into a starting point: a model that meets its SLO with room to spare gives capacity back; one
 * that misses it gets more, whatever the margins assumed. Windows with fewer than {@link #MIN_REQUESTS} requests
 * say too little about a 1 % tail and leave it unchanged. Requests turned away count as misses. Only past
 * observations steer it.
 */
final class SloFeedback {
    static final long WINDOW_NANOS = 10L * 60 * 1_000_000_000L;
    static final long MIN_REQUESTS = 200;
    static final double UP = 1.05, DOWN = 0.99, MIN = 0.8, MAX = 1.5;

    private final ArrayDeque<double[]> window = new ArrayDeque<>(); // {nanos, requests, met}
    private double requests, met;
    private double factor = 1.0;

    /** Adds this tick's outcome and returns the multiplier to apply now. */
    double update(ModelObservation m, Observation obs) {
        long now = obs.nowNanos();
        double slo = m.sloAttainment();
        // the attainment observed is over finished requests; a request turned away (queue full, admission) is a
        // miss too, as the run's SLO attainment counts it, so the tick's requests are weighted by that share
        long dropped = Math.min(m.dropped(), m.arrivals());
        if (m.arrivals() > 0 && (!Double.isNaN(slo) || dropped > 0)) {
            double tickMet = Double.isNaN(slo) ? 0 : slo * (m.arrivals() - dropped);
            window.addLast(new double[]{now, m.arrivals(), tickMet});
            requests += m.arrivals();
            met += tickMet;
        }
        while (!window.isEmpty() && window.peekFirst()[0] <= now - WINDOW_NANOS) {
            double[] old = window.removeFirst();
            requests -= old[1];
            met -= old[2];
        }
        if (requests >= MIN_REQUESTS) {
            double attained = met / requests, target = m.spec().slo().target();
            if (attained < target) factor = Math.min(MAX, factor * UP);
            else if (attained > target + (1 - target) / 2) factor = Math.max(MIN, factor * DOWN);
        }
        return factor;
    }

    double factor() {
        return factor;
    }
}
