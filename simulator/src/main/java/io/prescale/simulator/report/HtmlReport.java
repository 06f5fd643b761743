package io.prescale.simulator.report;

import io.prescale.core.text.Percent;
import io.prescale.simulator.metrics.RunResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code report.html}: the results table, the charts and where the trace comes from, in one page. */
public final class HtmlReport {
    private HtmlReport() {}

    public static void write(Path file, String title, Summary.TraceInfo trace, List<RunResult> results,
                             Map<String, String> charts, String notes) throws IOException {
        write(file, title, trace, results, charts, notes, "");
    }

    /** {@code sectionsHtml}: further sections before the file list (the cost recommendations of --recommend). */
    public static void write(Path file, String title, Summary.TraceInfo trace, List<RunResult> results,
                             Map<String, String> charts, String notes, String sectionsHtml) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}")
                .append("img{max-width:100%;border:1px solid #eee;margin:1em 0}.bad{color:#b00}</style></head><body>");
        h.append("<h1>").append(esc(title)).append("</h1>");
        h.append("<p>Trace <b>").append(esc(trace.id())).append("</b> (").append(esc(trace.source())).append("), ")
                .append(String.format(Locale.ROOT, "%,d", trace.requests())).append(" requests over ").append(trace.models()).append(" models, ")
                .append(esc(trace.start())).append(" to ").append(esc(trace.end())).append(". sha256 <code>")
                .append(esc(trace.sha256())).append("</code>.</p>");
        if (trace.skippedRows() > 0)
            h.append("<p class=bad>").append(trace.skippedRows()).append(" malformed trace rows were skipped (--skip-bad-rows).</p>");
        if (notes != null && !notes.isBlank()) h.append("<p>").append(esc(notes)).append("</p>");
        h.append("<table><tr><th>policy</th><th>SLO attainment</th><th>p50 ms</th><th>p99 ms</th><th>GPU-hours</th>")
                .append("<th>cost USD</th><th>cold starts (replica loads)</th><th>requests that met a cold start</th><th>idle GPU memory GB-h</th><th>dropped</th><th>timed out</th><th>utilisation</th><th>requests within SLO per GPU-hour</th><th>invariants</th></tr>");
        for (RunResult r : results) {
            var t = r.totals();
            h.append("<tr><td>").append(esc(r.policy())).append("</td>")
                    .append("<td>" + Percent.sign(t.sloAttainment(), 3) + "</td>").append(td("%.0f", t.p50Ms())).append(td("%.0f", t.p99Ms()))
                    .append(td("%.2f", t.gpuHours())).append(td("%.2f", t.costUsd())).append("<td>").append(t.coldStarts())
                    .append("</td><td>").append(t.coldStartRequests()).append("</td>").append(td("%.1f", t.idleGpuMemoryGbHours())).append("<td>").append(t.dropped()).append("</td><td>").append(t.timedOut()).append("</td>")
                    .append("<td>").append(esc(ConsoleTable.utilTenths(t.meanUtilization()))).append("</td><td>")
                    .append(ConsoleTable.perGpuHour(t.sloRequestsPerGpuHour())).append("</td>")
                    .append(r.invariants().hold() ? "<td>hold</td>" : "<td class=bad>VIOLATED</td>").append("</tr>");
        }
        h.append("</table>");
        for (RunResult r : results)
            if (r.invariants().unplaceableReplicas() > 0)
                h.append("<p class=bad>").append(esc(r.policy())).append(": ").append(r.invariants().unplaceableReplicas())
                        .append(" replica starts found no room in their pool (at its node limit, or no GPU that holds them).</p>");
        h.append("<h2>Priority outcomes</h2><p>SLO attainment per priority class (requests-weighted) and Jain's fairness index over ")
                .append("the models' SLO attainment (1 = all models served alike).</p><table><tr><th>policy</th>")
                .append("<th>by priority class</th><th>fairness</th><th>preemptions</th></tr>");
        for (RunResult r : results) {
            StringBuilder classes = new StringBuilder();
            r.scheduling().sloByPriority().forEach((k, v) -> classes.append(classes.isEmpty() ? "" : ", ")
                    .append(k).append(' ').append(Percent.sign(v, 2)));
            h.append("<tr><td>").append(esc(r.policy())).append("</td><td>").append(esc(classes.toString())).append("</td>")
                    .append(td("%.4f", r.scheduling().fairness())).append("<td>").append(r.scheduling().preemptions()).append("</td></tr>");
        }
        h.append("</table>");
        h.append(OutcomesTable.html(results));
        for (Map.Entry<String, String> c : charts.entrySet()) {
            h.append("<h2>").append(esc(c.getValue())).append("</h2><img src=\"").append(esc(c.getKey())).append("\" alt=\"")
                    .append(esc(c.getValue())).append("\">");
        }
        h.append(sectionsHtml);
        h.append("<p>Files: <a href=\"summary.json\">summary.json</a>, <a href=\"timeseries.csv\">timeseries.csv</a>, ")
                .append("<a href=\"manifest.json\">manifest.json</a>")
                .append(sectionsHtml.isEmpty() ? "" : ", <a href=\"recommendations.json\">recommendations.json</a>").append(".</p></body></html>\n");
        Files.writeString(file, h, StandardCharsets.UTF_8);
    }

    private static String td(String fmt, double v) {
        return "<td>" + (Double.isNaN(v) ? "-" : String.format(Locale.ROOT, fmt, v)) + "</td>";
    }

    public static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
