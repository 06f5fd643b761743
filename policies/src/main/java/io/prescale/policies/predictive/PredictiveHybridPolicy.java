package io.prescale.policies.predictive;

import io.prescale.core.policy.PolicyContext;

/**
 * Predictive floor plus reactive correction: the headroom policy's forecast target, never below what the
 * load observed in the last tick asks for (with a 20 % headroom). Recovers from bad forecasts and from
 * models the forecaster has not seen.
 */
public final class PredictiveHybridPolicy {
    private PredictiveHybridPolicy() {}

    /** The hybrid's defaults: the headroom defaults with the reactive floor on. */
    public static final PredictiveHeadroomPolicy.Params DEFAULTS = PredictiveHeadroomPolicy.Params.DEFAULTS.withReactiveFloor(true);

    public static PredictiveHeadroomPolicy create(PredictiveHeadroomPolicy.Params p, PolicyContext ctx) {
        return new PredictiveHeadroomPolicy("predictive.hybrid", p.withReactiveFloor(true), ctx);
    }
}
