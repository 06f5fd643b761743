package io.prescale.policies.sizing;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;

/**
 * Replicas needed to serve a request rate within the latency SLO, with dynamic batching.
 *
 * <p>Model: each of {@code n} replicas receives {@code λ/n}. Batches form while the previous batch runs,
 * so the steady batch size {@code b} solves {@code b = (λ/n)·T(b)} (capped at maxBatch, at least 1),
 * where {@code T(b)} is the profile's batch time; with batches of more than one a request waits for the
 * running batch and then rides in the next, about {@code 2·T(b)}. Utilisation is measured against the
 * full-batch capacity {@code μ = maxBatch/T(maxBatch)} and must stay at or below {@code maxUtilization};
 * extra queueing comes from the M/M/n (Erlang C) tail with that μ: {@code P(W > w) = C(n, λ/μ)·e^{-(nμ-λ)w}}.
 * The SLO holds when the {@code slo.target} quantile of that wait plus the service plus the batching delay
 * fits in the bound the simulator judges a request by: the SLO latency, or {@code slowdown} times the
 * request's own service time ({@code T(1)}) when that is larger (long image jobs). Where not even an idle
 * replica meets that bound, adding replicas cannot help: the count is the smallest at which a request
 * does not queue at the target quantile, never {@code maxReplicas} for want of a reachable SLO. A model whose profile prices output tokens decodes token by token and is batched
 * per iteration: a request joins the running batch at once and takes one (stretched) batch time, not two.
 */
public final class ReplicaSizer {
    private ReplicaSizer() {}

    /** Smallest replica count meeting the SLO for {@code ratePerSecond}; 0 for no demand; capped at maxReplicas. */
    public static int replicas(double ratePerSecond, ModelSpec spec, double maxUtilization) {
        return replicas(ratePerSecond, spec, spec.latency(), maxUtilization);
    }

    public static int replicas(double ratePerSecond, ModelSpec spec, LatencyProfile lp, double maxUtilization) {
        if (!(ratePerSecond > 0)) return 0;
        double muMax = lp.maxThroughput(spec.maxBatch());
        int n = Math.max(1, (int) Math.ceil(ratePerSecond / (muMax * maxUtilization)));
        boolean reachable = meetsSloWithoutQueueing(spec, lp);
        while (n < spec.maxReplicas() && !(reachable ? meetsSlo(ratePerSecond, n, spec, lp, maxUtilization)
                : queueWaitSeconds(ratePerSecond, n, spec, muMax) == 0)) n++;
        return Math.min(n, spec.maxReplicas());
    }

    /**
     * The highest request rate {@code n} replicas serve within the SLO: the largest rate {@link #replicas} sizes at
     * {@code n} or fewer (bisection to 1e-6 of the utilisation bound {@code n x full-batch capacity x maxUtilization},
     * which it never exceeds). 0 for no replica.
     */
    public static double capacity(int n, ModelSpec spec, double maxUtilization) {
        if (n <= 0) return 0;
        double lo = 0, hi = n * spec.latency().maxThroughput(spec.maxBatch()) * maxUtilization;
        if (replicas(hi, spec, maxUtilization) <= n) return hi;
        while (hi - lo > 1e-6 * hi) {
            double mid = (lo + hi) / 2;
            if (replicas(mid, spec, maxUtilization) <= n) lo = mid;
            else hi = mid;
        }
        return lo;
    }

    /** Whether {@code n} replicas serve {@code rate} within the SLO (see the class comment). */
    public static boolean meetsSlo(double rate, int n, ModelSpec spec, LatencyProfile lp, double maxUtilization) {
        double muMax = lp.maxThroughput(spec.maxBatch());
        if (rate / (n * muMax) > maxUtilization) return false;
        double perReplica = rate / n;
        int b = steadyBatch(perReplica, spec.maxBatch(), lp);
        double t = lp.batchSeconds(b);
        // a request waits for the running batch, then rides in the next one: about two batch times;
        // with iteration-level batching it joins the running batch and leaves when its own work is done
        boolean continuous = lp.perOutputTokenSeconds() > 0;
        double service = b > 1 && !continuous ? 2 * t : t;
        double wait = queueWaitSeconds(rate, n, spec, muMax);
        double batchingDelay = b < spec.maxBatch() ? spec.maxQueueDelay().toNanos() / 1e9 : 0;
        return wait + service + batchingDelay <= sloBoundSeconds(spec, lp);
    }

    /** The latency a request of the profile's mean size is judged by (as the simulator judges each request). */
    static double sloBoundSeconds(ModelSpec spec, LatencyProfile lp) {
        return spec.slo().boundSeconds(lp.batchSeconds(1));
    }

    /** Whether a request alone on an idle replica (batch of one, plus the batching delay) meets the SLO. */
    static boolean meetsSloWithoutQueueing(ModelSpec spec, LatencyProfile lp) {
        double batchingDelay = spec.maxBatch() > 1 ? spec.maxQueueDelay().toNanos() / 1e9 : 0;
        return lp.batchSeconds(1) + batchingDelay <= sloBoundSeconds(spec, lp);
    }

    /** The {@code slo.target} quantile of the M/M/n queueing wait (0 when fewer than that share wait at all). */
    private static double queueWaitSeconds(double rate, int n, ModelSpec spec, double muMax) {
        double c = erlangC(n, rate / muMax);
        double tail = 1 - spec.slo().target();
        return c <= tail ? 0 : Math.log(c / tail) / (n * muMax - rate);
    }

    /** Batch size at which batches form as fast as they are served, in [1, maxBatch]. */
    public static int steadyBatch(double perReplicaRate, int maxBatch, LatencyProfile lp) {
        for (int b = 1; b <= maxBatch; b++) {
            if (b >= perReplicaRate * lp.batchSeconds(b)) return b;
        }
        return maxBatch;
    }

    /** Erlang C: probability an arrival waits in M/M/n with offered load {@code a} = λ/μ (< n). */
    public static double erlangC(int n, double a) {
        if (a >= n) return 1;
        double b = 1;
        for (int k = 1; k <= n; k++) b = a * b / (k + a * b);
        return n * b / (n - a * (1 - b));
    }
}
