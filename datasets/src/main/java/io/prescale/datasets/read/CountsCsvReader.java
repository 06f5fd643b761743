package io.prescale.datasets.read;

import io.prescale.core.config.Durations;
import io.prescale.core.trace.ArrivalShape;
import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceRecord;
import io.prescale.core.trace.TraceRecord.IntervalCount;
import io.prescale.datasets.ReadOptions;
import org.apache.commons.csv.CSVRecord;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The generic per-interval format: {@code interval_start,interval_s,model,count[,gap]}.
 * {@code interval_start} is ISO-8601 (no zone = UTC) or epoch seconds; {@code interval_s} the interval
 * length in seconds; {@code count} the requests in [start, start + interval_s) (a fraction is allowed:
 * an expected count); optional {@code gap} 0/1 marks an interval without data. Rows must be sorted by
 * {@code interval_start}; the rows of one start are emitted sorted by model, so the file's order
 * inside a window does not change a run.
 */
public final class CountsCsvReader extends AbstractTraceReader {
    public static final TraceFeatures FEATURES = new TraceFeatures(true, false, false, false, true);

    private final CsvRows rows;
    private final int start;
    private final int length;
    private final int model;
    private final int count;
    private final int gap;
    private final ArrayDeque<IntervalCount> window = new ArrayDeque<>();
    private IntervalCount pending;
    private Instant last = Instant.MIN;
    private final java.util.Map<String, Instant> modelEnds = new java.util.HashMap<>();
    private long currentLine;

    public CountsCsvReader(Path file, ReadOptions options) {
        super(FEATURES);
        rows = new CsvRows(file, options, List.of("interval_start", "interval_s", "model", "count"));
        start = rows.column("interval_start");
        length = rows.column("interval_s");
        model = rows.column("model");
        count = rows.column("count");
        gap = rows.column("gap");
    }

    @Override
    protected TraceRecord fetch() {
        if (window.isEmpty()) fillWindow();
        return window.poll();
    }

    /** Reads every row of the next interval start (one row of lookahead) and sorts them by model. */
    private void fillWindow() {
        IntervalCount first = pending != null ? pending : nextRow();
        pending = null;
        if (first == null) return;
        List<IntervalCount> same = new ArrayList<>();
        same.add(first);
        IntervalCount r;
        while ((r = nextRow()) != null) {
            if (!r.time().equals(first.time())) {
                pending = r;
                break;
            }
            same.add(r);
        }
        same.sort(Comparator.comparing(IntervalCount::model)); // stable: duplicates keep file order
        window.addAll(same);
    }

    private IntervalCount nextRow() {
        while (true) {
            IntervalCount r = rows.next((row, line) -> {
                currentLine = line;
                return parse(row);
            });
            if (r == null) return null;
            if (r.time().isBefore(last)) {
                rows.rejectRow(currentLine, "interval_start goes backwards: " + r.time() + " after " + last
                        + " (rows must be sorted by interval_start)");
                continue;
            }
            // a model's intervals must not overlap: their arrivals would interleave out of time order
            Instant end = modelEnds.get(r.model());
            if (end != null && r.time().isBefore(end)) {
                rows.rejectRow(currentLine, "interval of model '" + r.model() + "' at " + r.time() + " overlaps its previous one, which ends at " + end);
                continue;
            }
            modelEnds.put(r.model(), r.time().plus(r.length()));
            last = r.time();
            return r;
        }
    }

    private IntervalCount parse(CSVRecord row) throws BadRowException {
        boolean isGap = false;
        if (gap >= 0) {
            String g = row.get(gap).trim();
            if (!g.isEmpty() && !g.equals("0") && !g.equals("1"))
                throw new BadRowException("gap must be 0 or 1, got '" + g + "'");
            isGap = g.equals("1");
        }
        Instant begin = Timestamps.flexible(row.get(start), "interval_start");
        java.time.Duration len = Fields.positiveSeconds(row.get(length), "interval_s");
        Timestamps.endInRange(begin, len, "interval_start");
        return new IntervalCount(
                begin,
                len,
                Fields.modelName(row.get(model), "model"),
                Fields.nonNegativeDouble(row.get(count), "count"),
                ArrivalShape.POISSON, isGap);
    }

    @Override
    public long skippedRows() {
        return rows.skipped();
    }

    @Override
    public void close() {
        rows.close();
    }
}
