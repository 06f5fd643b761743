package io.prescale.simulator.sweep;

import io.prescale.core.text.Percent;
import io.prescale.core.config.Yaml;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.report.Summary;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A sweep's outputs: the terminal table, sweep.json, the Pareto chart, report.html and winner.yaml. */
public final class SweepReport {
    private SweepReport() {}

    public static final String JSON = "sweep.json", CHART = "pareto.png", HTML = "report.html", WINNER = "winner.yaml";

    /**
     * Indices (scenario order) of the scenarios on their context's Pareto frontier. The frontier is drawn
     * over the policies that can run live: oracle and static.peak would dominate everything and are shown
     * as reference points instead.
     */
    public static Set<Integer> paretoIndices(ExperimentSpec.Objective objective, List<ScenarioResult> results) {
        Set<Integer> out = new TreeSet<>();
        for (List<ScenarioResult> group : byContext(realisable(results)).values()) {
            List<Pareto.Point> pts = new ArrayList<>();
            for (ScenarioResult r : group) pts.add(point(objective, r));
            for (int i : Pareto.frontier(pts)) out.add(group.get(i).scenario().index());
        }
        return out;
    }

    /**
     * The scenarios the frontier is drawn over: those the live runner could run, so neither one that needs the future
     * nor one that ticks faster than the runner ({@code L}: it stood on the frontier, beating configurations that can run).
     */
    static List<ScenarioResult> realisable(List<ScenarioResult> results) {
        return results.stream().filter(r -> !io.prescale.policies.PolicyCatalog.needsOracle(r.scenario().policy())
                && Winner.liveProblem(r.scenario().policy(), r.result().params()) == null).toList();
    }

    static Map<Object, List<ScenarioResult>> byContext(List<ScenarioResult> results) {
        Map<Object, List<ScenarioResult>> m = new LinkedHashMap<>();
        for (ScenarioResult r : results) m.computeIfAbsent(r.scenario().context().key(), k -> new ArrayList<>()).add(r);
        return m;
    }

    static Pareto.Point point(ExperimentSpec.Objective objective, ScenarioResult r) {
        return new Pareto.Point(r.result().totals().sloAttainment(), objective.minimize().of(r.result().totals()));
    }

    /** The results table: one row per scenario; W winner, P on the Pareto frontier, - below the SLO target. */
    public static void printTable(PrintStream out, ExperimentSpec.Objective objective, List<ScenarioResult> results,
                                  Set<Integer> pareto, Optional<Winner> winner) {
        int w = Math.max(8, results.stream().mapToInt(r -> r.scenario().label().length()).max().orElse(8));
        String fmt = "%-" + w + "s %5s %8s %9s %9s %10s %7s %8s %10s%n";
        out.printf(Locale.ROOT, fmt, "scenario", "", "SLO", "p99 ms", "GPU-h", "cost USD", "cold", "cold req", "idle GB-h");
        for (ScenarioResult r : results) {
            var t = r.result().totals();
            String flags = flags(objective, r, pareto, winner);
            out.printf(Locale.ROOT, fmt, r.scenario().label(), flags, Percent.sign(t.sloAttainment(), 2),
                    Double.isNaN(t.p99Ms()) ? "-" : String.format(Locale.ROOT, "%.0f", t.p99Ms()),
                    String.format(Locale.ROOT, "%.2f", t.gpuHours()), String.format(Locale.ROOT, "%.2f", t.costUsd()), t.coldStarts(),
                    t.coldStartRequests(), String.format(Locale.ROOT, "%.0f", t.idleGpuMemoryGbHours()));
        }
        out.println("(W winner, P on the cost-vs-SLO Pareto frontier of the live-runnable policies, - below the SLO target, F needs the future: cannot win, L ticks faster than the live runner: cannot win, ! invariants violated;"
                + " cold: replica loads, cold req: requests that arrived while their model had no loaded replica, idle GB-h: GPU memory held by idle replicas)");
    }

    static String flags(ExperimentSpec.Objective objective, ScenarioResult r, Set<Integer> pareto, Optional<Winner> winner) {
        StringBuilder f = new StringBuilder();
        if (winner.isPresent() && winner.get().arm().label().equals(r.scenario().arm())) f.append('W');
        if (pareto.contains(r.scenario().index())) f.append('P');
        if (!objective.meets(r.result().totals())) f.append('-');
        if (io.prescale.policies.PolicyCatalog.needsOracle(r.scenario().policy())) f.append('F');
        if (Winner.liveProblem(r.scenario().policy(), r.result().params()) != null) f.append('L');
        if (!r.result().invariants().hold()) f.append('!');
        return f.toString();
    }

    /** sweep.json: every scenario with the figures of summary.json's results (same field names), plus the winner. */
    public static Map<String, Object> json(ExperimentSpec spec, List<ScenarioResult> results, Map<Object, PreparedContext> contexts,
                                           Set<Integer> pareto, Optional<Winner> winner, String noWinner, List<ContextBests> bests,
                                           int workers, double wallSeconds) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "prescale.sweep/v1");
        root.put("name", spec.name());
        if (spec.description() != null) root.put("description", spec.description());
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("minimize", spec.objective().minimize().name());
        obj.put("sloTarget", spec.objective().sloTarget());
        obj.put("confidence", spec.objective().confidence());
        obj.put("text", spec.objective().text());
        root.put("objective", obj);
        root.put("scenarios", results.size());
        root.put("workers", workers);
        root.put("wallSeconds", round(wallSeconds));
        if (winner.isPresent()) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("arm", winner.get().arm().label());
            w.put("policy", winner.get().arm().policy());
            w.put("params", winner.get().arm().params());
            w.put(spec.objective().minimize().name(), winner.get().arm().total());
            w.put("sloAttainment", winner.get().arm().worstSlo());
            w.put("reason", winner.get().reason());
            root.put("winner", w);
        } else {
            root.put("winner", null);
            root.put("noWinner", noWinner);
        }
        List<Map<String, Object>> traces = new ArrayList<>();
        for (PreparedContext pc : contexts.values()) traces.add(contextJson(pc, results));
        root.put("contexts", traces);
        List<Map<String, Object>> perContext = new ArrayList<>();
        for (ContextBests c : bests) perContext.add(c.json(spec.objective()));
        root.put("bestPerContext", perContext);
        List<Map<String, Object>> rs = new ArrayList<>();
        for (ScenarioResult r : results) {
            PreparedContext pc = contexts.get(r.scenario().context().key());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", r.scenario().label());
            m.put("arm", r.scenario().arm());
            m.put("context", contextIndex(contexts, r));
            m.put("pareto", pareto.contains(r.scenario().index()));
            m.put("meetsSloTarget", spec.objective().meets(r.result().totals()));
            m.put("canWin", !io.prescale.policies.PolicyCatalog.needsOracle(r.scenario().policy())
                    && Winner.liveProblem(r.scenario().policy(), r.result().params()) == null);
            m.put("winner", winner.isPresent() && winner.get().arm().label().equals(r.scenario().arm()));
            m.putAll(summaryEntry(pc, r.result()));
            rs.add(m);
        }
        root.put("results", rs);
        return root;
    }

    private static int contextIndex(Map<Object, PreparedContext> contexts, ScenarioResult r) {
        int i = 0;
        for (Object k : contexts.keySet()) {
            if (k.equals(r.scenario().context().key())) return i;
            i++;
        }
        return -1;
    }

    private static Map<String, Object> contextJson(PreparedContext pc, List<ScenarioResult> results) {
        Scenario.Context c = pc.context();
        var w = pc.setup().workload();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trace", pc.trace().source().id());
        m.put("sha256", pc.trace().source().sha256());
        m.put("models", pc.trace().specs().size());
        m.put("unmatchedModels", pc.trace().unmatchedModels());
        m.put("start", w.at(pc.setup().from()).toString());
        m.put("end", w.at(pc.setup().to()).toString());
        m.put("rateScale", c.rateScale().value());
        m.put("seed", c.seed().value());
        m.put("sharing", c.sharing().value() == null ? "as catalog" : c.sharing().value());
        m.put("packer", c.packer().value());
        m.put("consolidate", c.consolidate().value());
        m.put("catalog", pc.trace().catalog().name());
        long requests = results.stream().filter(r -> r.scenario().context().key().equals(c.key()))
                .mapToLong(r -> r.result().totals().requests()).findFirst().orElse(0);
        m.put("requests", requests);
        m.put("source", pc.trace().source().manifest().map(x -> x.title() + "; " + x.citation() + "; licence: " + x.licence())
                .orElse(pc.trace().source().description()));
        return m;
    }

    /** The scenario's entry exactly as summary.json's results[] would have it. */
    private static Map<String, Object> summaryEntry(PreparedContext pc, RunResult r) {
        var w = pc.setup().workload();
        Summary.TraceInfo info = new Summary.TraceInfo(pc.trace().source().id(), pc.trace().source().sha256(), r.totals().requests(),
                pc.trace().specs().size(), w.at(pc.setup().from()).toString(), w.at(pc.setup().to()).toString(), w.skippedRows(),
                pc.trace().unmatchedModels(), pc.trace().source().description());
        Map<String, Object> s = Summary.build(info, pc.setup().seed(), pc.setup().rateScale(), List.of(r));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rs = (List<Map<String, Object>>) s.get("results");
        return rs.get(0);
    }

    /**
     * Heights for labels wanted at {@code want} (sorted ascending) spanning [{@code lo}, {@code hi}] across, none within
     * {@code line} of another it crosses: in order ({@code direction} 1, each pushed down) or in reverse (-1, pushed up).
     */
    static double[] place(double[] want, double[] lo, double[] hi, double line, int direction) {
        int n = want.length;
        double[] placed = new double[n];
        boolean[] done = new boolean[n];
        for (int k = 0; k < n; k++) {
            int i = direction > 0 ? k : n - 1 - k;
            double y = want[i];
            boolean moved = true;
            while (moved) {
                moved = false;
                for (int j = 0; j < n; j++) {
                    if (!done[j] || !(lo[i] < hi[j] && lo[j] < hi[i]) || Math.abs(placed[j] - y) >= line) continue;
                    y = placed[j] + direction * line;
                    moved = true;
                }
            }
            placed[i] = y;
            done[i] = true;
        }
        return placed;
    }

    /** Cost (the objective's figure) against SLO attainment: every scenario, each context's frontier, the winner. */
    public static void chart(Path file, ExperimentSpec spec, List<ScenarioResult> results, Optional<Winner> winner) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), paretoChart(spec, results, winner), WIDTH, HEIGHT);
    }

    /** pareto.png's size in pixels: its labels are laid out for it. */
    static final int WIDTH = 1100, HEIGHT = 650;

    static JFreeChart paretoChart(ExperimentSpec spec, List<ScenarioResult> results, Optional<Winner> winner) {
        ExperimentSpec.Objective objective = spec.objective();
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries all = new XYSeries("scenarios", false, true);
        XYSeries win = new XYSeries("winner", false, true);
        for (ScenarioResult r : results) {
            Pareto.Point p = point(objective, r);
            if (!Double.isNaN(p.slo()) && !Double.isNaN(p.cost())) all.add(100 * p.slo(), p.cost());
            if (winner.isPresent() && winner.get().arm().label().equals(r.scenario().arm())) win.add(100 * p.slo(), p.cost());
        }
        data.addSeries(all);
        data.addSeries(win);
        List<List<ScenarioResult>> groups = new ArrayList<>(byContext(realisable(results)).values());
        List<ScenarioResult> onFrontier = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<ScenarioResult> group = groups.get(g);
            List<Pareto.Point> pts = new ArrayList<>();
            for (ScenarioResult r : group) pts.add(point(objective, r));
            XYSeries front = new XYSeries(groups.size() == 1 ? "Pareto frontier" : "Pareto frontier, context " + g, false, true);
            for (int i : Pareto.frontier(pts)) {
                front.add(100 * pts.get(i).slo(), pts.get(i).cost());
                onFrontier.add(group.get(i));
            }
            data.addSeries(front);
        }
        JFreeChart c = io.prescale.simulator.report.Charts.xy("Cost vs SLO attainment: " + spec.name(), "SLO attainment (%)",
                objective.minimize().label, data);
        XYPlot plot = c.getXYPlot();
        XYLineAndShapeRenderer rr = new XYLineAndShapeRenderer();
        rr.setSeriesLinesVisible(0, false);
        rr.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        rr.setSeriesPaint(0, new Color(90, 110, 160));
        rr.setSeriesLinesVisible(1, false);
        rr.setSeriesShape(1, new Rectangle2D.Double(-7, -7, 14, 14));
        rr.setSeriesPaint(1, new Color(0, 150, 60));
        Color[] frontColors = {new Color(200, 30, 30), new Color(230, 120, 0), new Color(150, 0, 150), new Color(0, 140, 160)};
        for (int s = 2; s < data.getSeriesCount(); s++) {
            rr.setSeriesLinesVisible(s, true);
            rr.setSeriesStroke(s, new BasicStroke(2f));
            rr.setSeriesShape(s, new Ellipse2D.Double(-5, -5, 10, 10));
            rr.setSeriesPaint(s, frontColors[(s - 2) % frontColors.length]);
        }
        plot.setRenderer(rr);
        // every scenario at one attainment (all at 100 %): the axis spanned 1e-14 and labelled every tick "1E2"
        org.jfree.chart.axis.NumberAxis x = (org.jfree.chart.axis.NumberAxis) plot.getDomainAxis();
        x.setAutoRangeIncludesZero(false);
        x.setAutoRangeMinimumSize(1); // one percentage point
        x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT)));
        ValueMarker target = new ValueMarker(100 * objective.sloTarget(), new Color(0, 150, 60), new BasicStroke(1.5f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[]{6f, 4f}, 0f));
        target.setLabel("SLO target " + ExperimentSpec.percent(objective.sloTarget()) + " %");
        target.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
        target.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addDomainMarker(target);
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (ScenarioResult r : results) {
            double v = point(objective, r).cost();
            if (v > 0) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (hi > 10 * lo) { // a tuning that costs 10x more would squash the rest into one line
            // ticks at powers of 10^0.1 read "199.5, 158.5, 125.9": two significant digits, as the run charts have them
            org.jfree.chart.axis.LogAxis y = io.prescale.simulator.report.Charts.logAxis(objective.minimize().label + " (log scale)");
            y.setSmallestValue(lo / 2);
            plot.setRangeAxis(y);
        }
        for (ScenarioResult r : results) if (io.prescale.policies.PolicyCatalog.needsOracle(r.scenario().policy())) onFrontier.add(r);
        labelPoints(c, objective, onFrontier);
        return c;
    }

    /**
     * Labels each point of {@code labelled} with its scenario, beside it; labels that would overlap (the frontier's points
     * crowd near 99-100 % SLO attainment, and printed over one another) are moved down or up until they do not, each moved
     * one joined to its point by a thin line. Laid out for a {@link #WIDTH} x {@link #HEIGHT} image.
     */
    static void labelPoints(JFreeChart c, ExperimentSpec.Objective objective, List<ScenarioResult> labelled) {
        if (labelled.isEmpty()) return;
        XYPlot plot = c.getXYPlot();
        org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
        java.awt.image.BufferedImage img = c.createBufferedImage(WIDTH, HEIGHT, info); // lays the axes out as the PNG will
        Rectangle2D area = info.getPlotInfo().getDataArea();
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
        java.awt.Graphics2D g = img.createGraphics();
        java.awt.FontMetrics fm = g.getFontMetrics(font);
        g.dispose();
        double line = fm.getHeight() + 1;
        org.jfree.chart.axis.ValueAxis xa = plot.getDomainAxis(), ya = plot.getRangeAxis();
        var xEdge = plot.getDomainAxisEdge();
        var yEdge = plot.getRangeAxisEdge();
        record Label(String text, double x, double y, double px, double py, boolean right, double width) {
            double left() { return right ? px - width : px; }
            double rightEnd() { return right ? px : px + width; }
        }
        List<Label> labels = new ArrayList<>();
        double xMid = area.getCenterX();
        for (ScenarioResult r : labelled) {
            Pareto.Point p = point(objective, r);
            if (Double.isNaN(p.slo()) || Double.isNaN(p.cost())) continue;
            double px = xa.valueToJava2D(100 * p.slo(), area, xEdge), py = ya.valueToJava2D(p.cost(), area, yEdge);
            boolean right = px > xMid;
            String text = right ? r.scenario().label() + "  " : "  " + r.scenario().label();
            labels.add(new Label(text, 100 * p.slo(), p.cost(), px, py, right, fm.stringWidth(text) + LABEL_SHIFT));
        }
        labels.sort(Comparator.comparingDouble(Label::py));
        double[] py = labels.stream().mapToDouble(Label::py).toArray();
        double[] lo = labels.stream().mapToDouble(Label::left).toArray(), hi = labels.stream().mapToDouble(Label::rightEnd).toArray();
        // top to bottom: each label at its point's height, or just below the labels placed before it that it would cross;
        // when that runs off the bottom of the plot, bottom to top instead
        double[] placed = place(py, lo, hi, line, 1);
        if (placed.length > 0 && java.util.Arrays.stream(placed).max().orElse(0) > area.getMaxY() - line / 2) {
            double[] fromBottom = new double[py.length];
            for (int i = 0; i < py.length; i++) fromBottom[i] = Math.min(py[i], area.getMaxY() - line / 2);
            placed = place(fromBottom, lo, hi, line, -1);
        }
        for (int i = 0; i < labels.size(); i++) {
            Label l = labels.get(i);
            boolean moved = placed[i] != l.py();
            // a label moved off its point's height sits a little to its side, joined to it by a thin line
            double x = moved ? xa.java2DToValue(l.px() + (l.right() ? -LABEL_SHIFT : LABEL_SHIFT), area, xEdge) : l.x();
            double y = moved ? ya.java2DToValue(placed[i], area, yEdge) : l.y();
            if (moved) plot.addAnnotation(new org.jfree.chart.annotations.XYLineAnnotation(l.x(), l.y(), x, y, new BasicStroke(0.6f), Color.GRAY));
            XYTextAnnotation a = new XYTextAnnotation(l.text(), x, y);
            a.setFont(font);
            a.setTextAnchor(l.right() ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT);
            plot.addAnnotation(a);
        }
    }

    /** How far (pixels) a moved label sits to the side of its point. */
    private static final double LABEL_SHIFT = 8;

    /** report.html: the objective, the winner and why, the table with markers, the charts. */
    public static void html(Path file, ExperimentSpec spec, List<ScenarioResult> results, Map<Object, PreparedContext> contexts,
                            Set<Integer> pareto, Optional<Winner> winner, String noWinner, List<ContextBests> bests, int workers,
                            double wallSeconds) throws IOException {
        StringBuilder h = new StringBuilder();
        String title = "Prescale sweep: " + spec.name();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}")
                .append("img{max-width:100%;border:1px solid #eee;margin:1em 0}.win{background:#e3f6e8;font-weight:bold}")
                .append(".miss{color:#999}.pareto td:first-child{border-left:4px solid #c81e1e}</style></head><body>");
        h.append("<h1>").append(esc(title)).append("</h1>");
        if (spec.description() != null) h.append("<p>").append(esc(spec.description())).append("</p>");
        h.append("<p>Objective: <b>").append(esc(spec.objective().text())).append("</b>. ").append(results.size())
                .append(" scenarios on ").append(workers).append(" workers in ").append(String.format(Locale.ROOT, "%.1f", wallSeconds))
                .append(" s. <code>oracle</code> and <code>static.peak</code> know the future: shown for reference, they cannot win.</p>");
        h.append("<h2>Winner</h2><p>");
        if (winner.isPresent()) {
            h.append(esc(winner.get().reason())).append(" Policy file: <a href=\"").append(WINNER).append("\">").append(WINNER).append("</a>.");
        } else {
            h.append(esc(noWinner)).append(" No winner.yaml was written.");
        }
        h.append("</p><h2>Contexts</h2><table><tr><th>#</th><th>trace</th><th>window</th><th>rate scale</th><th>seed</th><th>sharing</th><th>packer</th><th>consolidate</th><th>catalog</th><th>models</th><th>sha256</th></tr>");
        int ci = 0;
        for (PreparedContext pc : contexts.values()) {
            var w = pc.setup().workload();
            h.append("<tr><td>").append(ci++).append("</td><td>").append(esc(pc.trace().source().id())).append("</td><td>")
                    .append(esc(w.at(pc.setup().from()) + " .. " + w.at(pc.setup().to()))).append("</td><td>")
                    .append(ExperimentSpec.trim(pc.setup().rateScale())).append("</td><td>").append(pc.setup().seed()).append("</td><td>")
                    .append(esc(pc.context().sharing().value() == null ? "as catalog" : pc.context().sharing().value())).append("</td><td>")
                    .append(esc(pc.context().packer().value())).append("</td><td>")
                    .append(pc.context().consolidate().value() ? "yes" : "no").append("</td><td>")
                    .append(esc(pc.trace().catalog().name())).append("</td><td>").append(pc.trace().specs().size()).append("</td><td><code>")
                    .append(esc(pc.trace().source().sha256().substring(0, 12))).append("</code></td></tr>");
        }
        h.append("</table><h2>Scenarios</h2><table><tr><th>scenario</th><th>flags</th><th>SLO attainment</th><th>p99 ms</th>")
                .append("<th>GPU-hours</th><th>cost USD</th><th>cold starts (loads)</th><th>requests that met a cold start</th><th>idle GPU memory GB-h</th>")
                .append("<th>dropped</th><th>timed out</th><th>utilisation</th></tr>");
        for (ScenarioResult r : results) {
            var t = r.result().totals();
            boolean isWinner = winner.isPresent() && winner.get().arm().label().equals(r.scenario().arm());
            List<String> cls = new ArrayList<>();
            if (isWinner) cls.add("win");
            if (pareto.contains(r.scenario().index())) cls.add("pareto");
            if (!spec.objective().meets(t)) cls.add("miss");
            h.append("<tr class=\"").append(String.join(" ", cls)).append("\"><td>").append(esc(r.scenario().label())).append("</td><td>")
                    .append(esc(flags(spec.objective(), r, pareto, winner))).append("</td>")
                    .append("<td>" + Percent.sign(t.sloAttainment(), 3) + "</td>").append(td("%.0f", t.p99Ms())).append(td("%.3f", t.gpuHours()))
                    .append(td("%.2f", t.costUsd())).append("<td>").append(t.coldStarts()).append("</td><td>").append(t.coldStartRequests())
                    .append("</td>").append(td("%.1f", t.idleGpuMemoryGbHours())).append("<td>").append(t.dropped())
                    .append("</td><td>").append(t.timedOut()).append("</td>").append("<td>").append(esc(io.prescale.simulator.report.ConsoleTable.utilTenths(t.meanUtilization()))).append("</td></tr>");
        }
        h.append("</table><p>Flags: W winner, P on the cost-vs-SLO Pareto frontier (red edge), - below the SLO target, F needs the future, L ticks faster than the live runner (so cannot win), ! invariants violated.</p>");
        h.append("<h2>Each policy at its best per context</h2><p>The cheapest configuration of each policy that meets the SLO target in that")
                .append(" context; the percentage is against the cheapest one that can run live there.</p><table><tr><th>context</th><th>configuration</th><th>")
                .append(esc(spec.objective().minimize().label)).append("</th><th>SLO attainment</th><th>vs best deployable</th></tr>");
        for (ContextBests c : bests) {
            for (ContextBests.Best b : c.bests()) {
                h.append("<tr><td>").append(esc(c.label().isEmpty() ? "-" : c.label())).append("</td><td>").append(esc(b.scenario())).append("</td>")
                        .append(td("%.3f", b.value())).append("<td>" + Percent.sign(b.sloAttainment(), 3) + "</td>").append("<td>")
                        .append(esc(c.relative(b))).append("</td></tr>");
            }
            if (!c.missed().isEmpty())
                h.append("<tr class=\"miss\"><td>").append(esc(c.label().isEmpty() ? "-" : c.label())).append("</td><td colspan=\"4\">below the target in every configuration: ")
                        .append(esc(String.join(", ", c.missed()))).append("</td></tr>");
        }
        h.append("</table><img src=\"").append(BestsChart.FILE).append("\" alt=\"each policy at its best per context\">");
        h.append("<h2>Cost vs SLO attainment</h2><img src=\"").append(CHART).append("\" alt=\"cost vs SLO attainment, Pareto frontier\">");
        h.append("<h2>Cold starts vs idle GPU memory</h2><p>Requests that arrived while their model had no loaded replica, against the")
                .append(" GB-hours of model memory held by idle replicas; each policy's configurations that none of its others beats on both are joined.</p>")
                .append("<img src=\"").append(ColdStartChart.FILE).append("\" alt=\"cold starts vs idle GPU memory\">")
                .append("<p>Replica loads against the same memory: where no request waits for a load, this is the trade-off left.</p>")
                .append("<img src=\"").append(ColdStartChart.Measure.LOADS.file).append("\" alt=\"replica loads vs idle GPU memory\">");
        h.append("<p>Files: <a href=\"").append(JSON).append("\">").append(JSON).append("</a>, <a href=\"experiment.yaml\">experiment.yaml</a>, ")
                .append("<a href=\"manifest.json\">manifest.json</a>").append(winner.isPresent() ? ", <a href=\"" + WINNER + "\">" + WINNER + "</a>" : "")
                .append(".</p></body></html>\n");
        Files.writeString(file, h, StandardCharsets.UTF_8);
    }

    public static void writeJson(Path file, Map<String, Object> json) throws IOException {
        Yaml.json().writeValue(file.toFile(), json);
    }

    private static String td(String fmt, double v) {
        return "<td>" + (Double.isNaN(v) ? "-" : String.format(Locale.ROOT, fmt, v)) + "</td>";
    }

    private static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static Object round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
