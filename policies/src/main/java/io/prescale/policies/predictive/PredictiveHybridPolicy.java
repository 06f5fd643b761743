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
    public static final PredictiveHeadroomPolicy.Params DEFAULTS = with(PredictiveHeadroomPolicy.Params.DEFAULTS);

    private static PredictiveHeadroomPolicy.Params with(PredictiveHeadroomPolicy.Params p) {
        return new PredictiveHeadroomPolicy.Params(p.quantile(), p.maxUtilization(), p.scaleDownDelay(), p.tick(), true,
                p.reactiveHeadroom(), p.anomalyWindow(), p.anomalyRatio(), p.anchorToObserved(), p.anchorSafety(),
                p.zeroBelowExpected(), p.spareNodes(), p.backlogPerReplica());
    }

    public static PredictiveHeadroomPolicy create(PredictiveHeadroomPolicy.Params p, PolicyContext ctx) {
        return new PredictiveHeadroomPolicy("predictive.hybrid", with(p), ctx);
    }
}
