package io.prescale.app.fidelity;

import io.prescale.core.config.Yaml;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of a fidelity run and their files: {@code fidelity.json}, {@code latency-cdf.png} (live and
 * simulated CDFs) and {@code report.html}. Relative error is (sim − live) / live.
 */
final class FidelityReport {
    /** Issue bars: p50/p95 latency error and replica-hours error. */
    static final double LATENCY_BAR = 0.09, REPLICA_HOURS_BAR = 0.05;

    /** One side's figures. Latencies in ms; rejected = refused at admission (429 / dropped); timedOut = deadline passed in the queue. */
    record Side(long requests, long served, long rejected, long timedOut, long otherErrors, double p50Ms, double p95Ms, double p99Ms,
                double replicaHours, List<double[]> cdf) {}

    private FidelityReport() {}

    static double relError(double sim, double live) {
        return live == 0 ? (sim == 0 ? 0 : Double.POSITIVE_INFINITY) : (sim - live) / live;
    }

    static Map<String, Object> errors(Side live, Side sim) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("p50", relError(sim.p50Ms(), live.p50Ms()));
        e.put("p95", relError(sim.p95Ms(), live.p95Ms()));
        e.put("p99", relError(sim.p99Ms(), live.p99Ms()));
        e.put("replicaHours", relError(sim.replicaHours(), live.replicaHours()));
        return e;
    }

    static Map<String, Object> side(Side s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", s.requests());
        m.put("served", s.served());
        m.put("rejected", s.rejected());
        m.put("timedOut", s.timedOut());
        m.put("otherErrors", s.otherErrors());
        m.put("p50Ms", s.p50Ms());
        m.put("p95Ms", s.p95Ms());
        m.put("p99Ms", s.p99Ms());
        m.put("replicaHours", s.replicaHours());
        return m;
    }

    static void writeJson(Path file, Map<String, Object> report) throws IOException {
        Yaml.json().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
    }

    static void writeChart(Path file, Map<String, List<double[]>> curves) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart(curves), 1000, 560);
    }

    /** The curves in the order given, in fixed colours on white; latency ticks as plain numbers ("0.25"), as the simulator's. */
    static JFreeChart chart(Map<String, List<double[]>> curves) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (var e : curves.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false);
            for (double[] p : e.getValue()) if (p[0] > 0) s.add(p[0], p[1]);
            data.addSeries(s);
        }
        JFreeChart c = ChartFactory.createXYLineChart("Latency CDF: live runner vs simulator", "latency (ms, log)", "fraction of served requests",
                data, PlotOrientation.VERTICAL, true, false, false);
        // JFreeChart's own log axis labelled ticks 10^-1.8, 10^-1.6 ... on grey, with a pale green curve
        LogAxis x = io.prescale.simulator.report.Charts.logAxis("latency (ms, log scale)");
        x.setSmallestValue(1e-3);
        c.getXYPlot().setDomainAxis(x);
        io.prescale.simulator.report.Charts.whiteGrid(c.getXYPlot());
        java.awt.Color[] paints = {java.awt.Color.BLACK, new java.awt.Color(0x1f77b4), new java.awt.Color(0xd95f02), new java.awt.Color(0x7b3fa0)};
        for (int i = 0; i < data.getSeriesCount(); i++) c.getXYPlot().getRenderer().setSeriesPaint(i, paints[i % paints.length]);
        return c;
    }

    static void writeHtml(Path file, String title, String table, List<String> notes) throws IOException {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>body{font-family:sans-serif;max-width:1040px;margin:2em auto}pre{background:#f4f4f4;padding:1em}</style></head><body>")
                .append("<h1>").append(esc(title)).append("</h1><pre>").append(esc(table)).append("</pre>")
                .append("<img src=\"latency-cdf.png\" alt=\"latency CDF\" width=\"1000\"><h2>Where the differences come from</h2><ul>");
        for (String n : notes) h.append("<li>").append(esc(n)).append("</li>");
        h.append("</ul><p>Figures: <a href=\"fidelity.json\">fidelity.json</a>; profile: <a href=\"profile.yaml\">profile.yaml</a>.</p></body></html>\n");
        Files.writeString(file, h, StandardCharsets.UTF_8);
    }

    /** The console table: both sides, then the errors against the bars. */
    static String table(Side live, Side sim, String simLabel) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-22s %9s %9s %9s %9s %10s %10s %10s %13s%n", "", "requests", "served", "rejected", "timedOut",
                "p50 ms", "p95 ms", "p99 ms", "replica-h"));
        row(b, "live", live);
        row(b, simLabel, sim);
        Map<String, Object> e = errors(live, sim);
        b.append(String.format(Locale.ROOT, "%-22s %9s %9s %9s %9s %10s %10s %10s %13s%n", "error (sim-live)/live", "", "", "", "",
                pct(e.get("p50")), pct(e.get("p95")), pct(e.get("p99")), pct(e.get("replicaHours"))));
        b.append(String.format(Locale.ROOT, "bars: p50 %s, p95 %s (<= %.0f %%), replica-hours %s (<= %.0f %%)%n",
                verdict((double) e.get("p50"), LATENCY_BAR), verdict((double) e.get("p95"), LATENCY_BAR), LATENCY_BAR * 100,
                verdict((double) e.get("replicaHours"), REPLICA_HOURS_BAR), REPLICA_HOURS_BAR * 100));
        return b.toString();
    }

    private static void row(StringBuilder b, String label, Side s) {
        b.append(String.format(Locale.ROOT, "%-22s %9d %9d %9d %9d %10.3f %10.3f %10.3f %13.6f%n", label, s.requests(), s.served(), s.rejected(),
                s.timedOut(), s.p50Ms(), s.p95Ms(), s.p99Ms(), s.replicaHours()));
    }

    static String pct(Object v) {
        double d = (double) v;
        // rounded first: equal figures a rounding apart (-1e-15) printed as "-0.0%", as if the simulator were under
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%+.1f%%", Math.round(d * 1000) / 10.0) : "n/a";
    }

    static String verdict(double err, double bar) {
        return Double.isFinite(err) && Math.abs(err) <= bar ? "PASS" : "FAIL";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
