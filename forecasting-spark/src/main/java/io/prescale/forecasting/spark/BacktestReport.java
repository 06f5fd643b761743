package io.prescale.forecasting.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prescale.datasets.TraceSource;
import io.prescale.forecasting.backtest.BacktestResult;
import io.prescale.forecasting.backtest.ForecastRow;
import io.prescale.forecasting.backtest.Score;
import io.prescale.forecasting.backtest.SeriesResult;
import io.prescale.forecasting.backtest.SkippedSeries;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a backtest run folder: backtest.json (schema prescale.backtest/v1), forecasts.csv, charts, index.html. */
public final class BacktestReport {
    public static final String SCHEMA = "prescale.backtest/v1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BacktestReport() {}

    /** Per forecaster: mean of each metric over the scored series, and its wins. */
    public record Overall(String forecaster, double mase, double wape, double pinball50, double pinball90, double coverage90, int wins) {}

    public static List<Overall> overall(BacktestResult r) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        Map<String, Integer> wins = new LinkedHashMap<>();
        for (SeriesResult s : r.series()) {
            wins.merge(s.winner(), 1, Integer::sum);
            for (Score sc : s.forecasters()) {
                double[] a = acc.computeIfAbsent(sc.forecaster(), k -> new double[6]);
                if (Double.isNaN(sc.mase())) continue;
                a[0] += sc.mase(); a[1] += sc.wape(); a[2] += sc.pinball50(); a[3] += sc.pinball90(); a[4] += sc.coverage90(); a[5]++;
            }
        }
        List<Overall> out = new ArrayList<>();
        for (var e : acc.entrySet()) {
            double[] a = e.getValue();
            double n = Math.max(a[5], 1);
            out.add(new Overall(e.getKey(), a[0] / n, a[1] / n, a[2] / n, a[3] / n, a[4] / n, wins.getOrDefault(e.getKey(), 0)));
        }
        return out;
    }

    public static void writeJson(Path file, TraceSource trace, BacktestResult r, Map<String, Object> extra) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        ObjectNode t = root.putObject("trace");
        t.put("id", trace.id());
        t.put("format", trace.format().id());
        t.put("description", trace.description());
        ArrayNode files = t.putArray("files");
        trace.files().forEach(f -> files.add(f.getFileName().toString()));
        t.put("sha256", trace.sha256());
        root.put("interval", r.interval().toString());
        root.put("horizon", r.horizon().toString());
        root.put("scoreWindow", r.scoreWindow().toString());
        ArrayNode series = root.putArray("series");
        for (SeriesResult s : r.series()) {
            ObjectNode o = series.addObject();
            o.put("series", s.series());
            o.put("observations", s.observations());
            o.put("winner", s.winner());
            ArrayNode fs = o.putArray("forecasters");
            for (Score sc : s.forecasters()) {
                ObjectNode f = fs.addObject();
                f.put("forecaster", sc.forecaster());
                num(f, "mase", sc.mase());
                num(f, "wape", sc.wape());
                num(f, "pinball50", sc.pinball50());
                num(f, "pinball90", sc.pinball90());
                num(f, "coverage90", sc.coverage90());
            }
        }
        ArrayNode skipped = root.putArray("skipped");
        for (SkippedSeries s : r.skipped()) {
            ObjectNode o = skipped.addObject();
            o.put("series", s.series());
            o.put("observations", s.observations());
            o.put("reason", s.reason());
        }
        ArrayNode ov = root.putArray("overall");
        for (Overall o : overall(r)) {
            ObjectNode f = ov.addObject();
            f.put("forecaster", o.forecaster());
            num(f, "mase", o.mase());
            num(f, "wape", o.wape());
            num(f, "pinball50", o.pinball50());
            num(f, "pinball90", o.pinball90());
            num(f, "coverage90", o.coverage90());
            f.put("wins", o.wins());
        }
        root.set("run", JSON.valueToTree(extra));
        try {
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void num(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, Math.round(v * 1e6) / 1e6);
        else o.putNull(k);
    }

    /** forecasts.csv; a series is a trace's model name, so it is quoted where it holds a comma, quote or line break. */
    public static void writeCsv(Path file, List<ForecastRow> rows) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                .setHeader("series", "forecaster", "origin", "target", "step", "actual", "mean", "p50", "p90", "p95").get();
        try (BufferedWriter w = Files.newBufferedWriter(file); CSVPrinter p = new CSVPrinter(w, format)) {
            for (ForecastRow r : rows)
                p.printRecord(r.series(), r.forecaster(), r.origin(), r.target(), r.step(),
                        f(r.actual()), f(r.mean()), f(r.p50()), f(r.p90()), f(r.p95()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** The console table: per series every forecaster with the winner marked, then the overall means. */
    public static String table(BacktestResult r) {
        StringBuilder b = new StringBuilder();
        String head = String.format(Locale.ROOT, "  %-16s %8s %8s %10s %10s %10s%n", "forecaster", "MASE", "WAPE", "pinball50", "pinball90", "cover90");
        for (SeriesResult s : r.series()) {
            b.append(String.format(Locale.ROOT, "%s  (%d observations, winner %s)%n", s.series(), s.observations(), s.winner()));
            b.append(head);
            for (Score sc : s.forecasters())
                b.append(String.format(Locale.ROOT, "%s %-16s %8.3f %8.3f %10.3f %10.3f %10.3f%n", sc.forecaster().equals(s.winner()) ? "*" : " ",
                        sc.forecaster(), sc.mase(), sc.wape(), sc.pinball50(), sc.pinball90(), sc.coverage90()));
        }
        for (SkippedSeries s : r.skipped()) b.append(String.format("skipped %s (%d observations): %s%n", s.series(), s.observations(), s.reason()));
        b.append(String.format("overall (mean over %d series)%n", r.series().size()));
        b.append(String.format(Locale.ROOT, "  %-16s %8s %8s %10s %10s %10s %5s%n", "forecaster", "MASE", "WAPE", "pinball50", "pinball90", "cover90", "wins"));
        for (Overall o : overall(r))
            b.append(String.format(Locale.ROOT, "  %-16s %8.3f %8.3f %10.3f %10.3f %10.3f %5d%n", o.forecaster(), o.mase(), o.wape(), o.pinball50(), o.pinball90(), o.coverage90(), o.wins()));
        long good = r.series().stream().filter(s -> s.score(s.winner()).mase() < 0.9).count();
        long cov = r.series().stream().filter(s -> { double c = s.score(s.winner()).coverage90(); return c >= 0.85 && c <= 0.95; }).count();
        b.append(String.format("winners: MASE < 0.9 on %d of %d series; P90 coverage in 0.85-0.95 on %d of %d%n", good, r.series().size(), cov, r.series().size()));
        return b.toString();
    }
}
