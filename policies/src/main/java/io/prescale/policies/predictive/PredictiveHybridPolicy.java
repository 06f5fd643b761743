package io.prescale.policies.predictive;

import io.prescale.core.policy.PolicyContext;

/**
 * Predictive floor plus reactive correction: the headroom policy's forecast target, never below what the
 * load observed in the last tick asks for (with a 20 % headroom). Recovers from bad forecasts and from
 * models the forecaster has not seen.
 */
public final class PredictiveHybridPolicy {
    private PredictiveHybridPolicy() {}

    public static PredictiveHeadroomPolicy create(PredictiveHeadroomPolicy.Params p, PolicyContext ctx) {
        var hybrid = new PredictiveHeadroomPolicy.Params(p.quantile(), p.maxUtilization(), p.scaleDownDelay(), p.tick(), true,
                p.reactiveHeadroom(), p.anomalyWindow(), p.anomalyRatio());
        return new PredictiveHeadroomPolicy("predictive.hybrid", hybrid, ctx);
    }
}
