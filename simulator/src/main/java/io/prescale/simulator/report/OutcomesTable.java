package io.prescale.simulator.report;

import io.prescale.core.text.Percent;
import io.prescale.simulator.metrics.RunResult;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-model outcomes: who was short over the run (replica-hours the policy's budget held back, replica-hours granted
 * that found no room, replicas preempted, requests rejected), with each model's class, attainment and cost, and
 * attainment and Jain's fairness per priority class.
 */
public final class OutcomesTable {
    /** The most models the terminal lists per policy; report.html and summary.json have them all. */
    static final int TERMINAL_ROWS = 10;

    private OutcomesTable() {}

    /** One model's row: its totals and its outcome. */
    record Row(RunResult.Totals totals, RunResult.ModelOutcome outcome) {
        boolean short_() {
            return outcome.shortReplicaHours() > 0 || outcome.preempted() > 0 || outcome.spotLost() > 0 || totals.dropped() > 0
                    || totals.timedOut() > 0;
        }

        double misses() {
            return totals.requests() * (1 - totals.sloAttainment());
        }

        /**
         * Requests served but past their SLO: the misses that no shortfall column counts (nor the requests left unfinished
         * at the window's end on a model with no replica, {@code inFlight}).
         */
        long late() {
            return Math.max(0, Math.round(misses()) - totals.dropped() - totals.timedOut() - totals.inFlight());
        }
    }

    /** The rows of {@code r}, the most short first (shortfall, then requests that missed the SLO), model order on ties. */
    static List<Row> rows(RunResult r) {
        List<Row> out = new ArrayList<>();
        List<RunResult.ModelOutcome> o = r.scheduling() == null ? List.of() : r.scheduling().models();
        for (int i = 0; i < r.models().size() && i < o.size(); i++) out.add(new Row(r.models().get(i), o.get(i)));
        out.sort(Comparator.comparingDouble((Row x) -> -x.outcome().shortReplicaHours()).thenComparingDouble(x -> -x.misses()));
        return out;
    }

    public static void print(PrintStream out, List<RunResult> results) {
        out.println();
        out.println("Who was short, per model (replica-hours the budget held back / granted but found no room; replicas preempted, lost with a spot node;");
        out.println("requests dropped at arrival, of them by deadline admission; timed out):");
        // the model column fits the longest name listed: "meta-llama/Llama-3.1-70B-Instruct" pushed its row's
        // figures out from under the header
        int w = 20;
        for (RunResult r : results) {
            List<Row> shortRows = rows(r).stream().filter(Row::short_).toList();
            for (Row x : shortRows.subList(0, Math.min(TERMINAL_ROWS, shortRows.size()))) w = Math.max(w, x.totals().model().length());
        }
        String fmt = "  %-" + w + "s %-8s %10s %8s %9s %9s %6s %5s %9s %7s %8s %10s %9s%n";
        for (RunResult r : results) {
            List<Row> rows = rows(r);
            List<Row> shortRows = rows.stream().filter(Row::short_).toList();
            long late = rows.stream().mapToLong(Row::late).sum();
            // a run can miss its SLO with nobody short of capacity: its requests were served, late
            String lateNote = late == 0 ? "" : String.format(Locale.ROOT, ", %,d request%s served past the SLO", late, late == 1 ? "" : "s");
            out.println(r.policy() + ": " + (shortRows.isEmpty() ? "nobody short" : shortRows.size() + " of " + rows.size() + " models short")
                    + lateNote + byClass(r));
            if (shortRows.isEmpty()) continue;
            out.printf(Locale.ROOT, fmt, "model", "class", "arrived", "SLO", "budget", "capacity", "preem", "spot", "dropped", "early",
                    "timeout", "cost USD", "spare USD");
            for (Row x : shortRows.subList(0, Math.min(TERMINAL_ROWS, shortRows.size()))) {
                var t = x.totals();
                var o = x.outcome();
                out.printf(Locale.ROOT, fmt, t.model(), o.priority(), String.format(Locale.ROOT, "%,d", t.requests()),
                        Percent.sign(t.sloAttainment(), 2), String.format(Locale.ROOT, "%.1f", o.budgetShortReplicaHours()),
                        String.format(Locale.ROOT, "%.1f", o.capacityShortReplicaHours()), o.preempted(), o.spotLost(),
                        String.format(Locale.ROOT, "%,d", t.dropped()), String.format(Locale.ROOT, "%,d", o.rejectedEarly()),
                        String.format(Locale.ROOT, "%,d", t.timedOut()), String.format(Locale.ROOT, "%.2f", t.costUsd()),
                        String.format(Locale.ROOT, "%.2f", t.spareUsd()));
            }
            if (shortRows.size() > TERMINAL_ROWS)
                out.printf(Locale.ROOT, "  ... and %d more (summary.json, report.html)%n", shortRows.size() - TERMINAL_ROWS);
        }
    }

    /** "; by class: high 99.98 % (Jain 1.000), normal 76.91 % (Jain 0.951)", or "" with no classes. */
    static String byClass(RunResult r) {
        if (r.scheduling() == null || r.scheduling().sloByPriority().isEmpty()) return "";
        StringBuilder b = new StringBuilder("; by class:");
        Map<String, Double> fair = r.scheduling().fairnessByPriority();
        r.scheduling().sloByPriority().forEach((k, v) -> {
            b.append(b.charAt(b.length() - 1) == ':' ? " " : ", ").append(k).append(' ').append(Percent.sign(v, 2));
            Double j = fair.get(k);
            if (j != null) b.append(String.format(Locale.ROOT, " (Jain %.3f)", j));
        });
        return b.toString();
    }

    /** report.html's section: every model of every policy, the most short first. */
    public static String html(List<RunResult> results) {
        StringBuilder h = new StringBuilder("<h2>Per-model outcomes</h2><p>Who was short over the run: replica-hours the policy wanted ")
                .append("and its budget held back, replica-hours granted that found no room in the pool, replicas preempted for a ")
                .append("higher class, replicas lost when their spot node was taken back, requests dropped at arrival (of them, rejected by deadline admission) and timed out; ")
                .append("each model's cost includes its share of spare node time (the spare column). Most short first.</p>");
        for (RunResult r : results) {
            h.append("<h3>").append(HtmlReport.esc(r.policy())).append("</h3><p>").append(HtmlReport.esc(byClass(r).replaceFirst("^; ", "")))
                    .append("</p><table><tr><th>model</th><th>class</th><th>arrived</th><th>SLO attainment</th>")
                    .append("<th>budget short replica-h</th><th>no room replica-h</th><th>preempted</th><th>lost with a spot node</th><th>dropped</th>")
                    .append("<th>rejected early</th><th>timed out</th><th>cost USD</th><th>of which spare USD</th>")
                    .append("<th>requests within SLO per GPU-hour</th></tr>");
            for (Row x : rows(r)) {
                var t = x.totals();
                var o = x.outcome();
                h.append("<tr><td>").append(HtmlReport.esc(t.model())).append("</td><td>").append(HtmlReport.esc(o.priority()))
                        .append("</td><td>").append(t.requests()).append("</td><td>")
                        .append(t.requests() == 0 ? "– (no requests)" : Percent.sign(t.sloAttainment(), 2)) // nothing to attain: not 100 %
                        .append(String.format(Locale.ROOT, "</td><td>%.2f</td><td>%.2f</td><td>", o.budgetShortReplicaHours(), o.capacityShortReplicaHours()))
                        .append(o.preempted()).append("</td><td>").append(o.spotLost()).append("</td><td>").append(t.dropped()).append("</td><td>").append(o.rejectedEarly())
                        .append("</td><td>").append(t.timedOut())
                        .append(String.format(Locale.ROOT, "</td><td>%.2f</td><td>%.2f</td><td>", t.costUsd(), t.spareUsd()))
                        .append(ConsoleTable.perGpuHour(t.sloRequestsPerGpuHour()))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        return h.toString();
    }
}
