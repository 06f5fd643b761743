package io.prescale.simulator.engine;

import io.prescale.core.model.ModelSpec;
import io.prescale.simulator.cluster.ModelServer;
import io.prescale.simulator.cluster.SimulatedCluster;
import io.prescale.simulator.cluster.SimulatedPool;
import io.prescale.simulator.metrics.ModelMetrics;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.metrics.RunResult.Totals;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns the cluster's counters after a run into {@link RunResult} figures and checks the invariants. */
final class Results {
    private Results() {}

    static RunResult of(String policy, Map<String, Object> params, SimulatedCluster c, List<ModelSpec> specs,
                        double end, List<RunResult.SeriesRow> series, double wallSeconds) {
        List<Totals> perModel = new ArrayList<>();
        Histogram all = new Histogram(10_000_000_000L, 2);
        long req = 0, served = 0, dropped = 0, timedOut = 0, met = 0, cold = 0;
        double busyGpu = 0, modelCost = 0, idleMem = 0, spareCost = 0, spareGpu = 0;
        long rejectedEarly = 0, coldRequests = 0;
        boolean balance = true;
        for (int i = 0; i < c.models(); i++) {
            ModelServer s = c.server(i);
            ModelMetrics m = s.metrics;
            long inFlight = s.queued();
            balance &= m.arrived == m.served + m.dropped + m.timedOut + inFlight;
            double util = m.gpuSeconds > 0 ? Math.min(1, m.busyGpuSeconds / m.gpuSeconds) : 0;
            double idle = idleGpuMemoryGbHours(m);
            idleMem += idle;
            perModel.add(totals(s.spec.id(), m, inFlight, m.total, m.gpuSeconds / 3600, m.costUsd, m.coldStarts, util, idle));
            all.add(m.total);
            req += m.arrived;
            served += m.served;
            dropped += m.dropped;
            timedOut += m.timedOut;
            met += m.sloMet;
            cold += m.coldStarts;
            rejectedEarly += m.rejectedEarly;
            coldRequests += m.coldRequests;
            busyGpu += m.busyGpuSeconds;
            modelCost += m.costUsd;
            spareCost += m.spareUsd;
            spareGpu += m.spareGpuSeconds;
        }
        double gpuSeconds = 0, cost = 0, peakMem = 0;
        long unplaceable = 0;
        for (SimulatedPool p : c.pools()) {
            gpuSeconds += p.gpuSeconds(end);
            cost += p.costUsd(end);
            peakMem = Math.max(peakMem, p.peakMemoryRatio());
            unplaceable += p.unplaceable();
        }
        long inFlight = req - served - dropped - timedOut;
        double slo = req > 0 ? met / (double) req : 1.0;
        Totals total = new Totals("*", req, served, dropped, timedOut, inFlight, slo,
                q(all, 0.50), q(all, 0.95), q(all, 0.99), gpuSeconds / 3600, cost, cold,
                gpuSeconds > 0 ? Math.min(1, busyGpu / gpuSeconds) : 0, idleMem, coldRequests, spareCost, spareGpu / 3600);
        var inv = new RunResult.Invariants(balance, peakMem, cost >= 0 && modelCost >= 0, unplaceable);
        var attribution = new RunResult.Attribution(cost, modelCost, c.unattributedUsd(), spareCost);
        List<RunResult.ModelOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < c.models(); i++) {
            ModelMetrics m = c.server(i).metrics;
            outcomes.add(new RunResult.ModelOutcome(specs.get(i).id(), specs.get(i).priority().name().toLowerCase(java.util.Locale.ROOT),
                    m.budgetShortReplicaSeconds / 3600, m.capacityShortReplicaSeconds / 3600, m.preempted, m.rejectedEarly, m.spotLost));
        }
        var scheduling = new RunResult.Scheduling(c.preemptions(), c.failures(), c.notes(), c.lastNote(), c.migrations(),
                sloByPriority(specs, perModel), jainFairness(perModel.stream().filter(t -> t.requests() > 0)
                        .mapToDouble(Totals::sloAttainment).toArray()), rejectedEarly, c.migReconfigurations(), outcomes,
                fairnessByPriority(specs, perModel), c.spotInterruptions());
        return new RunResult(policy, params, total, perModel, series, wallSeconds, inv, cdf(all), attribution, scheduling);
    }

    private static Totals totals(String model, ModelMetrics m, long inFlight, Histogram h, double gpuHours,
                                 double cost, long cold, double util, double idleMem) {
        double slo = m.arrived > 0 ? m.sloMet / (double) m.arrived : 1.0;
        return new Totals(model, m.arrived, m.served, m.dropped, m.timedOut, inFlight, slo,
                q(h, 0.50), q(h, 0.95), q(h, 0.99), gpuHours, cost, cold, util, idleMem, m.coldRequests,
                m.spareUsd, m.spareGpuSeconds / 3600);
    }

    /** SLO attainment of each priority class present, weighted by requests, in class order (critical first). */
    static Map<String, Double> sloByPriority(List<ModelSpec> specs, List<Totals> perModel) {
        long[] req = new long[io.prescale.core.model.PriorityClass.values().length];
        double[] met = new double[req.length];
        for (int i = 0; i < specs.size(); i++) {
            int p = specs.get(i).priority().ordinal();
            req[p] += perModel.get(i).requests();
            met[p] += perModel.get(i).sloAttainment() * perModel.get(i).requests();
        }
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (var p : io.prescale.core.model.PriorityClass.values())
            if (req[p.ordinal()] > 0) out.put(p.name().toLowerCase(java.util.Locale.ROOT), met[p.ordinal()] / req[p.ordinal()]);
        return out;
    }

    /** Jain's index over the SLO attainment of each priority class's models with requests, in class order. */
    static Map<String, Double> fairnessByPriority(List<ModelSpec> specs, List<Totals> perModel) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (var p : io.prescale.core.model.PriorityClass.values()) {
            double[] x = java.util.stream.IntStream.range(0, specs.size())
                    .filter(i -> specs.get(i).priority() == p && perModel.get(i).requests() > 0)
                    .mapToDouble(i -> perModel.get(i).sloAttainment()).toArray();
            if (x.length > 0) out.put(p.name().toLowerCase(java.util.Locale.ROOT), jainFairness(x));
        }
        return out;
    }

    /** Jain's index (sum x)^2 / (n sum x^2); 1 for no or all-zero values. */
    static double jainFairness(double[] x) {
        double s = 0, s2 = 0;
        for (double v : x) {
            s += v;
            s2 += v * v;
        }
        return s2 > 0 ? s * s / (x.length * s2) : 1.0;
    }

    /**
     * GB-hours of GPU memory held while not serving: resident memory-time less busy memory-time, both by the memory
     * a replica holds on its GPU (under MIG its whole slice, not the model's own need: a busy replica idles none).
     */
    static double idleGpuMemoryGbHours(ModelMetrics m) {
        return Math.max(0, m.residentGpuByteSeconds - m.busyGpuByteSeconds) / 1e9 / 3600;
    }

    /** Latency CDF points {ms, fraction} at fixed quantiles, for the latency chart. */
    private static double[][] cdf(Histogram h) {
        double[] qs = {0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9999};
        if (h.getTotalCount() == 0) return new double[0][];
        double[][] out = new double[qs.length][];
        for (int i = 0; i < qs.length; i++) out[i] = new double[]{h.getValueAtPercentile(qs[i] * 100) / 1000.0, qs[i]};
        return out;
    }

    private static double q(Histogram h, double quantile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(quantile * 100) / 1000.0;
    }
}
