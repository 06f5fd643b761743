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
import java.util.Locale;
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

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
