package io.prescale.simulator.report;

import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.metrics.RunResult.Totals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@code summary.json} (schema prescale.summary/v1): a contract read by notebooks, checks and the live runner. */
public final class Summary {
    private Summary() {}

    /** How the bill is split over the models (summary.json's costAttribution.rule, and the report's). */
    public static final String ATTRIBUTION_RULE = "a node's billed time with replicas on it goes to them by their share of the node; "
            + "its time with none (a spare, a warm node, a drain tail) goes to its pool's models in proportion to their replicas' "
            + "cost over the same report interval (an interval with none carries it to the next; at the end, by the run's use, "
            + "else evenly); spareUsd is that part";

    /** What the summary says about the trace. */
    public record TraceInfo(String id, String sha256, long requests, int models, String start, String end,
                            long skippedRows, int unmatchedModels, String source) {}

    public static Map<String, Object> build(TraceInfo trace, long seed, double rateScale, List<RunResult> results) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "prescale.summary/v1");
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", trace.id());
        t.put("sha256", trace.sha256());
        t.put("requests", trace.requests());
        t.put("models", trace.models());
        t.put("start", trace.start());
        t.put("end", trace.end());
        t.put("rateScale", rateScale);
        t.put("skippedRows", trace.skippedRows());
        t.put("unmatchedModels", trace.unmatchedModels());
        t.put("source", trace.source());
        root.put("trace", t);
        root.put("seed", seed);
        List<Map<String, Object>> rs = new ArrayList<>();
        for (RunResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy", r.policy());
            m.put("params", r.params());
            m.putAll(figures(r.totals()));
            m.put("wallSeconds", round(r.wallSeconds(), 3));
            m.put("simulatedRequestsPerSecond", Math.round(r.simulatedRequestsPerSecond()));
            Map<String, Object> inv = new LinkedHashMap<>();
            inv.put("requestsBalance", r.invariants().requestsBalance());
            inv.put("peakGpuMemoryRatio", round(r.invariants().peakGpuMemoryRatio(), 6));
            inv.put("costNonNegative", r.invariants().costNonNegative());
            inv.put("unplaceableReplicas", r.invariants().unplaceableReplicas());
            inv.put("hold", r.invariants().hold());
            m.put("invariants", inv);
            Map<String, Object> att = new LinkedHashMap<>();
            att.put("poolBillUsd", round(r.attribution().billUsd(), 4));
            att.put("attributedToModelsUsd", round(r.attribution().attributedUsd(), 4));
            att.put("ofWhichSpareUsd", round(r.attribution().spareUsd(), 4));
            att.put("unattributedUsd", round(r.attribution().unattributedUsd(), 4));
            att.put("closure", round(r.attribution().closure(), 6));
            att.put("rule", ATTRIBUTION_RULE);
            m.put("costAttribution", att);
            Map<String, Object> sch = new LinkedHashMap<>();
            sch.put("preemptions", r.scheduling().preemptions());
            sch.put("replicaFailures", r.scheduling().failures());
            sch.put("policyNotedTicks", r.scheduling().notedTicks());
            sch.put("lastPolicyNote", r.scheduling().lastNote());
            sch.put("consolidationMigrations", r.scheduling().migrations());
            sch.put("spotInterruptions", r.scheduling().spotInterruptions());
            Map<String, Object> byClass = new LinkedHashMap<>();
            r.scheduling().sloByPriority().forEach((k, v) -> byClass.put(k, round(v, 6)));
            sch.put("sloAttainmentByPriority", byClass);
            sch.put("fairnessJain", round(r.scheduling().fairness(), 6));
            Map<String, Object> fairByClass = new LinkedHashMap<>();
            r.scheduling().fairnessByPriority().forEach((k, v) -> fairByClass.put(k, round(v, 6)));
            sch.put("fairnessJainByPriority", fairByClass);
            sch.put("rejectedEarly", r.scheduling().rejectedEarly());
            sch.put("migReconfigurations", r.scheduling().migReconfigurations());
            m.put("scheduling", sch);
            List<Map<String, Object>> models = new ArrayList<>();
            List<RunResult.ModelOutcome> outcomes = r.scheduling().models();
            for (int j = 0; j < r.models().size(); j++) {
                Totals mt = r.models().get(j);
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("model", mt.model());
                x.putAll(figures(mt));
                // a model nobody asked for attained nothing: 1.0 read as a perfect model beside the others (the HTML says "no requests")
                if (mt.requests() == 0) x.put("sloAttainment", null);
                if (j < outcomes.size() && outcomes.get(j).model().equals(mt.model())) x.putAll(outcome(outcomes.get(j)));
                models.add(x);
            }
            m.put("models", models);
            rs.add(m);
        }
        root.put("results", rs);
        return root;
    }

    /** Who was short: the model's class, its replica shortfall (budget, capacity), replicas preempted, requests rejected early. */
    private static Map<String, Object> outcome(RunResult.ModelOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("priority", o.priority());
        m.put("budgetShortReplicaHours", round(o.budgetShortReplicaHours(), 4));
        m.put("capacityShortReplicaHours", round(o.capacityShortReplicaHours(), 4));
        m.put("preemptedReplicas", o.preempted());
        m.put("rejectedEarly", o.rejectedEarly());
        m.put("spotLostReplicas", o.spotLost());
        return m;
    }

    private static Map<String, Object> figures(Totals t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", t.requests());
        m.put("served", t.served());
        m.put("dropped", t.dropped());
        m.put("timedOut", t.timedOut());
        m.put("inFlight", t.inFlight());
        m.put("sloAttainment", round(t.sloAttainment(), 6));
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", round(t.p50Ms(), 3));
        lat.put("p95", round(t.p95Ms(), 3));
        lat.put("p99", round(t.p99Ms(), 3));
        m.put("latencyMs", lat);
        m.put("gpuHours", round(t.gpuHours(), 6));
        m.put("sloRequestsPerGpuHour", round(t.sloRequestsPerGpuHour(), 3));
        m.put("costUsd", round(t.costUsd(), 4));
        m.put("spareUsd", round(t.spareUsd(), 4));
        m.put("coldStarts", t.coldStarts());
        m.put("coldStartRequests", t.coldStartRequests());
        m.put("meanUtilization", round(t.meanUtilization(), 6));
        m.put("idleGpuMemoryGbHours", round(t.idleGpuMemoryGbHours(), 3));
        return m;
    }

    static Object round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return null;
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
