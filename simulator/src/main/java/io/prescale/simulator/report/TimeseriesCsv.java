package io.prescale.simulator.report;

import io.prescale.simulator.metrics.RunResult;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * {@code timeseries.csv}: one row per report interval, policy and model; {@code spare_usd} is the part of
 * {@code cost_usd} that is the model's share of its pool's node time with no replica.
 */
public final class TimeseriesCsv {
    private TimeseriesCsv() {}

    public static final String[] HEADER = {"interval_start", "policy", "model", "arrivals", "served", "dropped",
            "timed_out", "replicas", "queue", "p99_ms", "slo_attainment", "cost_usd", "gpu_hours", "spare_usd"};

    public static void write(Path file, List<RunResult> results, DoubleFunction<Instant> at) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
            for (RunResult r : results) {
                for (RunResult.SeriesRow s : r.series()) {
                    p.printRecord(at.apply(s.start()), r.policy(), s.model(), s.arrivals(), s.served(), s.dropped(),
                            s.timedOut(), s.replicas(), s.queued(), num(s.p99Ms()), num(s.sloAttainment()),
                            num(s.costUsd()), num(s.gpuHours()), num(s.spareUsd()));
                }
            }
        }
    }

    /**
     * Six significant digits, shortest form ("0.995", "1234.5", "3.0", "1.5E-7"): {@code String.format("%.6g")}
     * took two thirds of the file's time (a BigDecimal per number), seconds for a run of many models.
     */
    static String num(double v) {
        if (Double.isNaN(v)) return "";
        if (v == 0 || Double.isInfinite(v)) return Double.toString(v);
        int exp = (int) Math.floor(Math.log10(Math.abs(v)));
        if (exp > 300 || exp < -290) return Double.toString(v); // 10^(5 - exp) would overflow or vanish
        // an exact power of ten on the integer side, so the result is the double nearest the 6-digit decimal
        if (exp > 5) {
            double unit = Math.pow(10, exp - 5);
            return Double.toString(Math.rint(v / unit) * unit);
        }
        double scale = Math.pow(10, 5 - exp);
        return Double.toString(Math.rint(v * scale) / scale);
    }
}
