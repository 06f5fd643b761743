package io.prescale.simulator.metrics;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one policy on one workload: totals and per-model figures (the {@code results[]} entries
 * of summary.json), and the per-interval time series. Serializable: a sweep's Spark tasks send it back to the driver.
 */
public record RunResult(String policy, Map<String, Object> params, Totals totals, List<Totals> models,
                        List<SeriesRow> series, double wallSeconds, Invariants invariants, double[][] latencyCdf,
                        Attribution attribution, Scheduling scheduling) implements Serializable {

    /**
     * Multi-model scheduling outcomes: replicas preempted for higher priorities, the policy's notes, SLO
     * attainment per priority class (requests-weighted, classes with requests only) and Jain's fairness index
     * over the models' SLO attainment (1 = every model served alike, 1/n = one model gets everything).
     */
    public record Scheduling(long preemptions, long failures, long notedTicks, String lastNote, long migrations,
                             Map<String, Double> sloByPriority, double fairness, long rejectedEarly,
                             long migReconfigurations) implements Serializable {}

    /** The pool bill and how much of it is attributed to models (the rest: warm capacity no model used). */
    public record Attribution(double billUsd, double attributedUsd, double unattributedUsd) implements Serializable {
        /** attributed + unattributed against the bill: 1.0 when the ledger is complete. */
        public double closure() {
            return billUsd > 0 ? (attributedUsd + unattributedUsd) / billUsd : 1.0;
        }
    }

    /**
     * Figures for the whole run or one model. GPU-hours are paid from provisioning start. Idle GPU memory:
     * GB-hours of GPU memory held by replicas while they serve nothing (loading or waiting for requests) —
     * the "wasted memory time" keep-alive policies trade against cold starts. Cold starts count replica loads;
     * cold-start requests count requests that arrived while their model had no loaded replica (the serverless
     * literature's cold starts: a request that waits for a load).
     */
    public record Totals(String model, long requests, long served, long dropped, long timedOut, long inFlight,
                         double sloAttainment, double p50Ms, double p95Ms, double p99Ms, double gpuHours,
                         double costUsd, long coldStarts, double meanUtilization, double idleGpuMemoryGbHours,
                         long coldStartRequests) implements Serializable {}

    /**
     * One row of timeseries.csv. {@code replicas}: at the row's end; {@code busyReplicaHours}: replica-hours spent
     * serving during the row (its mean busy replicas × its length), what the idle recommendation sizes from.
     */
    public record SeriesRow(double start, String model, long arrivals, long served, long dropped, long timedOut,
                            int replicas, int queued, double p99Ms, double sloAttainment, double costUsd, double gpuHours,
                            double busyReplicaHours, double replicaHours) implements Serializable {}

    /** End-of-run checks: arrivals balance, memory never above capacity, cost never negative. */
    public record Invariants(boolean requestsBalance, double peakGpuMemoryRatio, boolean costNonNegative,
                             long unplaceableReplicas) implements Serializable {
        public boolean hold() {
            return requestsBalance && peakGpuMemoryRatio <= 1.0 + 1e-9 && costNonNegative;
        }
    }

    public double simulatedRequestsPerSecond() {
        return wallSeconds > 0 ? totals.requests() / wallSeconds : 0;
    }
}
