package io.prescale.forecasting.spark.cli;

import io.prescale.datasets.TraceSource;
import io.prescale.forecasting.backtest.BacktestResult;
import io.prescale.forecasting.backtest.Score;
import io.prescale.forecasting.backtest.SeriesResult;
import io.prescale.forecasting.backtest.SkippedSeries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The run folder's index.html: metrics tables and the charts. */
final class HtmlPage {
    private HtmlPage() {}

    static void write(Path file, TraceSource src, BacktestResult r, List<String> charts) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Backtest ").append(esc(src.id())).append("</title>")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}")
                .append("tr.win{background:#e6f4e6;font-weight:bold}</style></head><body>");
        b.append("<h1>Backtest: ").append(esc(src.id())).append("</h1><p>").append(esc(src.description())).append("</p>");
        b.append("<p>interval ").append(r.interval()).append(", horizon ").append(r.horizon()).append(", rolling origin over the last ")
                .append(r.scoreWindow()).append(". MASE is scaled by the in-sample error of the 1-day seasonal naive forecast; ")
                .append("pinball losses by the same scale; coverage90 is the share of actuals at or below P90.</p>");
        b.append("<img src=\"mase.png\" alt=\"MASE\">");
        for (SeriesResult s : r.series()) {
            b.append("<h2>").append(esc(s.series())).append("</h2><p>").append(s.observations()).append(" observations; winner <b>")
                    .append(esc(s.winner())).append("</b></p><table><tr><th>forecaster</th><th>MASE</th><th>WAPE</th><th>pinball50</th><th>pinball90</th><th>coverage90</th></tr>");
            for (Score sc : s.forecasters())
                b.append(sc.forecaster().equals(s.winner()) ? "<tr class=\"win\">" : "<tr>").append("<td>").append(esc(sc.forecaster())).append("</td>")
                        .append(td(sc.mase())).append(td(sc.wape())).append(td(sc.pinball50())).append(td(sc.pinball90())).append(td(sc.coverage90())).append("</tr>");
            b.append("</table>");
            String chart = ChartFiles.forecast(s.series());
            if (charts.contains(chart)) b.append("<img src=\"").append(esc(chart)).append("\" alt=\"forecast\">");
        }
        if (!r.skipped().isEmpty()) {
            b.append("<h2>Skipped</h2><ul>");
            for (SkippedSeries s : r.skipped()) b.append("<li>").append(esc(s.series())).append(": ").append(esc(s.reason())).append("</li>");
            b.append("</ul>");
        }
        b.append("<p>Data: backtest.json, forecasts.csv.</p></body></html>\n");
        try {
            Files.writeString(file, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String td(double v) {
        return "<td>" + (Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-") + "</td>";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
