package io.prescale.datasets.read;

import io.prescale.core.config.Durations;
import io.prescale.core.trace.ArrivalShape;
import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceRecord.IntervalCount;
import io.prescale.datasets.ReadOptions;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ServeGen per-model rates ({@code model_rates_10min.csv}): one {@link IntervalCount} per row, count =
 * {@code rate_rps × window_s} (the expected requests in the window), time = {@link Instant#EPOCH} +
 * {@code window_start_s} (ServeGen's time 0 is midnight of day 0; the calendar date is unknown).
 * A window with rate 0 is a collection gap (every client reports 0 at once; m-mid has 84, m-small 37),
 * flagged {@code gap=true} rather than read as zero demand.
 *
 * <p>The file is grouped by model, not by time. It is small (6,336 rows, 320 KB), so it is read whole
 * and sorted by (time, model) rather than merged from per-model cursors.
 */
public final class ServeGenModelReader extends LoadedTraceReader {
    public static final TraceFeatures FEATURES = new TraceFeatures(true, false, false, false, true);

    public ServeGenModelReader(Path file, ReadOptions options) {
        this(load(file, options));
    }

    private ServeGenModelReader(Loaded loaded) {
        super(FEATURES, loaded.records, loaded.skipped);
    }

    private record Loaded(List<IntervalCount> records, long skipped) {}

    private record Lined(IntervalCount record, long line) {}

    private static Loaded load(Path file, ReadOptions options) {
        List<Lined> lined = new ArrayList<>();
        try (CsvRows rows = new CsvRows(file, options, List.of("model", "window_start_s", "window_s", "rate_rps"))) {
            int model = rows.column("model");
            int start = rows.column("window_start_s");
            int length = rows.column("window_s");
            int rate = rows.column("rate_rps");
            Lined r;
            while ((r = rows.next((row, line) -> {
                double windowSeconds = Fields.positiveDouble(row.get(length), "window_s");
                java.time.Duration window = Fields.positiveSeconds(row.get(length), "window_s");
                double rps = Fields.nonNegativeDouble(row.get(rate), "rate_rps");
                double count = Fields.countOf(rps, windowSeconds, "rate_rps");
                Instant begin = Instant.EPOCH.plus(Durations.ofSeconds(Fields.nonNegativeDouble(row.get(start), "window_start_s")));
                Timestamps.endInRange(begin, window, "window_start_s");
                return new Lined(new IntervalCount(
                        begin,
                        window,
                        Fields.modelName(row.get(model), "model"),
                        count, ArrivalShape.POISSON, rps == 0), line);
            })) != null) lined.add(r);
            lined.sort(Comparator.comparing((Lined x) -> x.record().time()).thenComparing(x -> x.record().model()));
            // a model's windows must not overlap (a repeated row, say): their arrivals would interleave out of time order
            List<IntervalCount> records = new ArrayList<>(lined.size());
            java.util.Map<String, Lined> previous = new java.util.HashMap<>();
            for (Lined x : lined) {
                Lined before = previous.get(x.record().model());
                if (before != null && x.record().time().isBefore(before.record().time().plus(before.record().length()))) {
                    rows.rejectRow(Math.max(x.line(), before.line()), "window of model '" + x.record().model() + "' at window_start_s "
                            + x.record().time().getEpochSecond() + " overlaps the one on line " + Math.min(x.line(), before.line()));
                    continue;
                }
                previous.put(x.record().model(), x);
                records.add(x.record());
            }
            return new Loaded(records, rows.skipped());
        }
    }
}
