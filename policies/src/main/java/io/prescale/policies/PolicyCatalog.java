package io.prescale.policies;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.ParamBinder;
import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;
import io.prescale.policies.baseline.KeepAliveFixedPolicy;
import io.prescale.policies.baseline.KeepAliveHybridHistogramPolicy;
import io.prescale.policies.baseline.OraclePolicy;
import io.prescale.policies.baseline.ReactiveHpaPolicy;
import io.prescale.policies.baseline.ReactiveKnativePolicy;
import io.prescale.policies.baseline.ReactiveRayServePolicy;
import io.prescale.policies.baseline.StaticPeakPolicy;
import io.prescale.policies.predictive.AwsPredictivePolicy;
import io.prescale.policies.predictive.PredictiveBudgetPolicy;
import io.prescale.policies.predictive.PredictiveHeadroomPolicy;
import io.prescale.policies.predictive.PredictiveHybridPolicy;
import io.prescale.policies.predictive.SageServeStylePolicy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/** Every scaling policy by id. Adding a policy: one class with a {@code Params} record, one line below. */
public final class PolicyCatalog {

    /** One catalog line: id, params type with defaults, constructor, and whether it needs the future. */
    public record Entry<P extends Record>(String id, Class<P> paramsType, P defaults,
                                          BiFunction<P, PolicyContext, Policy> factory, boolean needsOracle, String summary) {
        Policy create(Map<String, ?> params, PolicyContext ctx, String path) {
            return factory.apply(bind(params, path), ctx);
        }

        P bind(Map<String, ?> params, String path) {
            return ParamBinder.bind(paramsType, defaults, params, path);
        }
    }

    private static final List<Entry<?>> ENTRIES = List.of(
            new Entry<>("static.peak", StaticPeakPolicy.Params.class, StaticPeakPolicy.Params.DEFAULTS, StaticPeakPolicy::new, true,
                    "static provisioning for the known peak"),
            new Entry<>("reactive.hpa", ReactiveHpaPolicy.Params.class, ReactiveHpaPolicy.Params.DEFAULTS, ReactiveHpaPolicy::new, false,
                    "Kubernetes HPA: utilisation ratio rule, tolerance, scale-down stabilisation"),
            new Entry<>("reactive.knative", ReactiveKnativePolicy.Params.class, ReactiveKnativePolicy.Params.DEFAULTS, ReactiveKnativePolicy::new, false,
                    "Knative KPA: stable/panic concurrency windows, scale to zero"),
            new Entry<>("reactive.ray-serve", ReactiveRayServePolicy.Params.class, ReactiveRayServePolicy.Params.DEFAULTS, ReactiveRayServePolicy::new, false,
                    "Ray Serve: target ongoing requests, upscale/downscale delays"),
            new Entry<>("keepalive.fixed", KeepAliveFixedPolicy.Params.class, KeepAliveFixedPolicy.Params.DEFAULTS, KeepAliveFixedPolicy::new, false,
                    "serverless fixed keep-alive (10 min)"),
            new Entry<>("keepalive.hybrid-histogram", KeepAliveHybridHistogramPolicy.Params.class, KeepAliveHybridHistogramPolicy.Params.DEFAULTS,
                    KeepAliveHybridHistogramPolicy::new, false, "idle-time histogram pre-warm and keep-alive (Azure Functions study)"),
            new Entry<>("predictive.headroom", PredictiveHeadroomPolicy.Params.class, PredictiveHeadroomPolicy.Params.DEFAULTS,
                    PredictiveHeadroomPolicy::new, false, "demand over the warm-up lead time (the measured level x forecast growth x 1.1; the P90 forecast where demand is sparse), queueing-model sizing, hysteresis"),
            new Entry<>("predictive.hybrid", PredictiveHeadroomPolicy.Params.class, PredictiveHybridPolicy.DEFAULTS,
                    PredictiveHybridPolicy::create, false, "predictive floor plus reactive correction"),
            new Entry<>("predictive.budget", PredictiveBudgetPolicy.Params.class, PredictiveBudgetPolicy.Params.DEFAULTS,
                    PredictiveBudgetPolicy::new, false, "hybrid under a cost cap per hour; capacity by priority and marginal value"),
            new Entry<>("predictive.aws-style", AwsPredictivePolicy.Params.class, AwsPredictivePolicy.Params.DEFAULTS,
                    AwsPredictivePolicy::new, false, "AWS predictive scaling: each hour sized for its peak 10-minute forecast, 300 s pre-launch, no scale-in on forecast"),
            new Entry<>("predictive.sageserve-style", SageServeStylePolicy.Params.class, SageServeStylePolicy.Params.DEFAULTS,
                    SageServeStylePolicy::new, false, "ARIMA forecast per period, each model sized to cover it (SageServe-style; its integer program in one growable pool)"),
            new Entry<>("oracle", OraclePolicy.Params.class, OraclePolicy.Params.DEFAULTS, OraclePolicy::new, true,
                    "knows future arrivals: a reference sized on the future demand, not an optimal schedule (on intermittent traces it can cost more than reactive policies)")
    );

    private static final Map<String, Entry<?>> BY_ID = new LinkedHashMap<>();

    static {
        for (Entry<?> e : ENTRIES) {
            if (BY_ID.put(e.id(), e) != null) throw new IllegalStateException("duplicate policy id " + e.id());
        }
    }

    private PolicyCatalog() {}

    /** Policy ids in catalog order. */
    public static Set<String> ids() {
        return BY_ID.keySet();
    }

    /** The id one typo away (up to two edits, case aside): "reactive.hpx" is "reactive.hpa". */
    static java.util.Optional<String> closest(String id) {
        return io.prescale.core.config.DidYouMean.closest(id, ids());
    }

    public static Entry<?> entry(String id) {
        Entry<?> e = BY_ID.get(id);
        if (e == null) throw new ConfigException("policy", "unknown policy '" + id + "'" + closest(id).map(c -> ", did you mean " + c + "?").orElse("")
                + " (known: " + String.join(", ", ids()) + ")");
        return e;
    }

    /** Builds policy {@code id} with {@code params} over its defaults; errors name {@code params.<field>}. */
    public static Policy create(String id, Map<String, ?> params, PolicyContext ctx) {
        return entry(id).create(params, ctx, "params");
    }

    /** The default params of {@code id}, as a map (durations as "300s"). */
    public static Map<String, Object> defaults(String id) {
        return ParamBinder.toMap(entry(id).defaults());
    }

    /** {@code params} over the defaults of {@code id}, validated, as a map: what a run actually used. */
    public static Map<String, Object> defaultsMerged(String id, Map<String, ?> params) {
        return ParamBinder.toMap(entry(id).bind(params, "params"));
    }

    /**
     * Whether {@code id} needs knowledge of the future (simulation only). Such a policy knows the future by
     * definition, so the simulator also sizes it with the latency profile calibrated to the work of every request of
     * the trace, the scored window included; every other policy sees only the work of requests known before each
     * tick.
     */
    public static boolean needsOracle(String id) {
        return entry(id).needsOracle();
    }
}
