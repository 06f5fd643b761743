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
     * Multi-model scheduling outcomes: replicas preempted for higher priorities, spot nodes taken back, the policy's notes, SLO
     * attainment per priority class (requests-weighted, classes with requests only) and Jain's fairness index
     * over the models' SLO attainment (1 = every model served alike, 1/n = one model gets everything), the same
     * index within each priority class, and each model's outcome.
     */
    public record Scheduling(long preemptions, long failures, long notedTicks, String lastNote, long migrations,
                             Map<String, Double> sloByPriority, double fairness, long rejectedEarly,
                             long migReconfigurations, List<ModelOutcome> models, Map<String, Double> fairnessByPriority,
                             long spotInterruptions) implements Serializable {
        /** With no per-model outcomes and no spot pool. */
        public Scheduling(long preemptions, long failures, long notedTicks, String lastNote, long migrations,
                          Map<String, Double> sloByPriority, double fairness, long rejectedEarly, long migReconfigurations) {
            this(preemptions, failures, notedTicks, lastNote, migrations, sloByPriority, fairness, rejectedEarly, migReconfigurations,
                    List.of(), Map.of(), 0);
        }
    }

    /**
     * Who was short, per model over the scored run (in the order of {@link RunResult#models()}): replica-hours the
     * policy wanted and its budget held back ({@code predictive.budget}'s notes), replica-hours granted that found no
     * room in the pool, replicas preempted for a higher class, requests rejected at arrival by deadline admission,
     * replicas lost when their spot node was taken back.
     */
    public record ModelOutcome(String model, String priority, double budgetShortReplicaHours, double capacityShortReplicaHours,
                               long preempted, long rejectedEarly, long spotLost) implements Serializable {
        public double shortReplicaHours() {
            return budgetShortReplicaHours + capacityShortReplicaHours;
        }
    }

    /**
     * The pool bill and how much of it is attributed to models; {@code spareUsd}: of the attributed, nodes' time with no
     * replica on them (spares, warm nodes, drain tails), shared among each pool's models by their use over the same
     * report interval; {@code unattributedUsd}: the bill of pools no model names.
     */
    public record Attribution(double billUsd, double attributedUsd, double unattributedUsd, double spareUsd) implements Serializable {
        public Attribution(double billUsd, double attributedUsd, double unattributedUsd) {
            this(billUsd, attributedUsd, unattributedUsd, 0);
        }

        /** The models' costs against the bill: 1.0 when they add up to it (the unattributed part does not count). */
        public double closure() {
            return billUsd > 0 ? attributedUsd / billUsd : 1.0;
        }
    }

    /**
     * Figures for the whole run or one model. GPU-hours are paid from provisioning start. A model's cost and GPU-hours
     * include its share of its pool's spare node time ({@code spareUsd}, {@code spareGpuHours}: see {@link Attribution}). Idle GPU memory:
     * GB-hours of GPU memory held by replicas while they serve nothing (loading or waiting for requests) —
     * the "wasted memory time" keep-alive policies trade against cold starts. Cold starts count replica loads;
     * cold-start requests count requests that arrived while their model had no loaded replica (the serverless
     * literature's cold starts: a request that waits for a load).
     */
    public record Totals(String model, long requests, long served, long dropped, long timedOut, long inFlight,
                         double sloAttainment, double p50Ms, double p95Ms, double p99Ms, double gpuHours,
                         double costUsd, long coldStarts, double meanUtilization, double idleGpuMemoryGbHours,
                         long coldStartRequests, double spareUsd, double spareGpuHours) implements Serializable {
        /** With no spare node time attributed. */
        public Totals(String model, long requests, long served, long dropped, long timedOut, long inFlight,
                      double sloAttainment, double p50Ms, double p95Ms, double p99Ms, double gpuHours,
                      double costUsd, long coldStarts, double meanUtilization, double idleGpuMemoryGbHours,
                      long coldStartRequests) {
            this(model, requests, served, dropped, timedOut, inFlight, sloAttainment, p50Ms, p95Ms, p99Ms, gpuHours, costUsd,
                    coldStarts, meanUtilization, idleGpuMemoryGbHours, coldStartRequests, 0, 0);
        }

        /**
         * Requests served within their SLO per GPU-hour paid: requests × SLO attainment / GPU-hours, the rate one GPU
         * sustains at this attainment (what compares sharing modes on the same trace); NaN with no GPU-hour (CPU pools).
         */
        public double sloRequestsPerGpuHour() {
            return gpuHours > 0 ? requests * sloAttainment / gpuHours : Double.NaN;
        }

        /** The cost of the replicas themselves: {@code costUsd} less the share of spare node time. */
        public double replicaCostUsd() {
            return costUsd - spareUsd;
        }
    }

    /**
     * One row of timeseries.csv. {@code replicas}: at the row's end; {@code busyReplicaHours}: replica-hours spent
     * serving during the row (its mean busy replicas × its length), what the idle recommendation sizes from;
     * {@code spareUsd}: of {@code costUsd}, the model's share of its pool's spare node time in the row.
     */
    public record SeriesRow(double start, String model, long arrivals, long served, long dropped, long timedOut,
                            int replicas, int queued, double p99Ms, double sloAttainment, double costUsd, double gpuHours,
                            double busyReplicaHours, double replicaHours, double spareUsd) implements Serializable {
        /** With no spare node time in the row's cost. */
        public SeriesRow(double start, String model, long arrivals, long served, long dropped, long timedOut,
                         int replicas, int queued, double p99Ms, double sloAttainment, double costUsd, double gpuHours,
                         double busyReplicaHours, double replicaHours) {
            this(start, model, arrivals, served, dropped, timedOut, replicas, queued, p99Ms, sloAttainment, costUsd, gpuHours,
                    busyReplicaHours, replicaHours, 0);
        }
    }

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
