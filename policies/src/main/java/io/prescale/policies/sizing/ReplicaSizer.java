package io.prescale.policies.sizing;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;

/**
 * Replicas needed to serve a request rate within the latency SLO, with dynamic batching.
 *
 * <p>Model: each of {@code n} replicas receives {@code λ/n}. Batches form while the previous batch runs,
 * so the steady batch size {@code b} solves {@code b = (λ/n)·T(b)} (capped at maxBatch, at least 1),
 * where {@code T(b)} is the profile's batch time. A replica then serves {@code μ = b/T(b)} requests/s.
 * Waiting is taken from the M/M/n (Erlang C) tail with that μ: {@code P(W > w) = C(n, λ/μ)·e^{-(nμ-λ)w}}.
 * The SLO holds when the {@code slo.target} quantile of wait plus the batch time plus the batching delay
 * fits in the SLO latency, and utilisation stays at or below {@code maxUtilization}.
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
        while (n < spec.maxReplicas() && !meetsSlo(ratePerSecond, n, spec, lp, maxUtilization)) n++;
        return Math.min(n, spec.maxReplicas());
    }

    /** Whether {@code n} replicas serve {@code rate} within the SLO (see the class comment). */
    public static boolean meetsSlo(double rate, int n, ModelSpec spec, LatencyProfile lp, double maxUtilization) {
        double perReplica = rate / n;
        int b = steadyBatch(perReplica, spec.maxBatch(), lp);
        double t = lp.batchSeconds(b);
        double mu = b / t;
        double rho = perReplica / mu;
        if (rho > maxUtilization || rho >= 1) return false;
        double c = erlangC(n, rate / mu);
        double tail = 1 - spec.slo().target();
        double wait = c <= tail ? 0 : Math.log(c / tail) / (n * mu - rate);
        double batchingDelay = b < spec.maxBatch() ? Math.min(spec.maxQueueDelay().toNanos() / 1e9, b / Math.max(perReplica, 1e-12)) : 0;
        return wait + t + batchingDelay <= spec.slo().latencySeconds();
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
