package io.prescale.simulator.cost;

import io.prescale.core.text.Percent;
import io.prescale.core.config.Yaml;
import io.prescale.simulator.report.HtmlReport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints and writes ({@code recommendations.json}) the recommendations with predicted and realised savings. */
public final class RecommendationReport {
    /** The attainment a recommendation must not push the run below (unless it was already below); a model is held to its own target. */
    static final double SLO_TARGET = 0.99;

    private RecommendationReport() {}

    /**
     * What the re-simulation found against the recommendation: its SLO did not hold, or it saved nothing (a right-size
     * onto a dearer GPU realised -15.42 $ and was listed among the savings without a word).
     */
    static String flags(RecommendationCheck.Outcome o) {
        return (o.spotInterruptions() > 0 ? String.format(java.util.Locale.ROOT, "  [%d spot %s taken back, %d %s lost]", o.spotInterruptions(),
                o.spotInterruptions() == 1 ? "node" : "nodes", o.spotLostReplicas(), o.spotLostReplicas() == 1 ? "replica" : "replicas") : "")
                + (o.sloHolds(SLO_TARGET) ? "" : "  [SLO does not hold]") + (o.realisedSavingUsd() < 0 ? "  [costs more]" : "");
    }

    public static void print(PrintStream out, String policy, List<Recommendation> recs, List<RecommendationCheck.Outcome> outcomes) {
        out.println();
        out.println("Cost recommendations for " + policy + " (predicted, then realised by re-simulation):");
        if (recs.isEmpty()) {
            out.println("  none");
            return;
        }
        String fmt = "  %-12s %-14s %12s %12s %10s %14s  %s%n";
        out.printf(Locale.ROOT, fmt, "kind", "target", "predicted $", "realised $", "SLO after", "its SLO after", "what");
        for (RecommendationCheck.Outcome o : outcomes) {
            Recommendation r = o.recommendation();
            // the target model's own attainment, before -> after: a cap can cost its model the SLO the run still meets
            String own = Double.isNaN(o.modelSloAfter()) ? "-"
                    : Percent.of(o.modelSloBefore(), 1) + "->" + Percent.sign(o.modelSloAfter(), 1);
            out.printf(Locale.ROOT, fmt, r.kind(), r.target(), String.format(Locale.ROOT, "%.2f", r.predictedSavingUsd()),
                    String.format(Locale.ROOT, "%.2f", o.realisedSavingUsd()), Percent.sign(o.sloAfter(), 2), own,
                    r.description() + flags(o));
        }
        List<Recommendation> flags = recs.stream().filter(r -> r.apply() == null).toList();
        for (Recommendation r : flags.subList(0, Math.min(5, flags.size())))
            out.printf(Locale.ROOT, fmt, r.kind(), r.target(), "-", "-", "-", "-", r.description());
        if (flags.size() > 5) out.printf(Locale.ROOT, "  ... and %d more flagged models (recommendations.json)%n", flags.size() - 5);
    }

    /** The same table for report.html: the recommendations were only on the terminal and in recommendations.json. */
    public static String html(String policy, List<Recommendation> recs, List<RecommendationCheck.Outcome> outcomes) {
        StringBuilder h = new StringBuilder("<h2>Cost recommendations for ").append(HtmlReport.esc(policy)).append("</h2>")
                .append("<p>Predicted savings, then realised by re-simulating the run with each change.</p>");
        if (recs.isEmpty()) return h.append("<p>None.</p>").toString();
        h.append("<table><tr><th>kind</th><th>target</th><th>predicted $</th><th>realised $</th><th>SLO after</th>")
                .append("<th>its SLO after</th><th>what</th></tr>");
        for (RecommendationCheck.Outcome o : outcomes) {
            Recommendation r = o.recommendation();
            String flags = flags(o);
            h.append("<tr><td>").append(HtmlReport.esc(r.kind())).append("</td><td>").append(HtmlReport.esc(r.target()))
                    .append(String.format(Locale.ROOT, "</td><td>%.2f</td><td>%.2f</td><td>", r.predictedSavingUsd(), o.realisedSavingUsd()))
                    .append(Percent.sign(o.sloAfter(), 2)).append("</td><td>")
                    .append(Double.isNaN(o.modelSloAfter()) ? "-" : Percent.of(o.modelSloBefore(), 1) + "->" + Percent.sign(o.modelSloAfter(), 1))
                    .append("</td><td style=\"text-align:left\">").append(HtmlReport.esc(r.description()))
                    .append(flags.isEmpty() ? "" : " <b class=bad>" + HtmlReport.esc(flags.trim()) + "</b>").append("</td></tr>");
        }
        for (Recommendation r : recs)
            if (r.apply() == null)
                h.append("<tr><td>").append(HtmlReport.esc(r.kind())).append("</td><td>").append(HtmlReport.esc(r.target()))
                        .append("</td><td>-</td><td>-</td><td>-</td><td>-</td><td style=\"text-align:left\">")
                        .append(HtmlReport.esc(r.description())).append("</td></tr>");
        return h.append("</table>").toString();
    }

    public static void write(Path file, String policy, List<Recommendation> recs, List<RecommendationCheck.Outcome> outcomes) throws IOException {
        List<Map<String, Object>> items = new ArrayList<>();
        for (RecommendationCheck.Outcome o : outcomes) {
            Map<String, Object> m = base(o.recommendation());
            m.put("realisedSavingUsd", o.realisedSavingUsd());
            m.put("baselineCostUsd", o.baselineCostUsd());
            m.put("sloAttainmentBefore", o.sloBefore());
            m.put("sloAttainmentAfter", o.sloAfter());
            if (!Double.isNaN(o.modelSloAfter())) {
                m.put("modelSloAttainmentBefore", o.modelSloBefore());
                m.put("modelSloAttainmentAfter", o.modelSloAfter());
            }
            m.put("sloHolds", o.sloHolds(SLO_TARGET));
            if (o.recommendation().kind().equals("spot")) {
                m.put("spotInterruptions", o.spotInterruptions());
                m.put("spotLostReplicas", o.spotLostReplicas());
            }
            items.add(m);
        }
        for (Recommendation r : recs) if (r.apply() == null) items.add(base(r));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "prescale.recommendations/v1");
        root.put("policy", policy);
        root.put("recommendations", items);
        Yaml.json().writeValue(file.toFile(), root);
    }

    private static Map<String, Object> base(Recommendation r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind());
        m.put("target", r.target());
        m.put("description", r.description());
        m.put("predictedSavingUsd", r.predictedSavingUsd());
        return m;
    }
}
