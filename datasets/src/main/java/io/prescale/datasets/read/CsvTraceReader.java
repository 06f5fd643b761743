package io.prescale.datasets.read;

import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceRecord;
import io.prescale.datasets.ReadOptions;
import org.apache.commons.csv.CSVRecord;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A CSV trace streamed row by row, one record per row, in file order. A row whose time is earlier
 * than the previous row's is malformed: these traces are sorted by time, and a lazy reader cannot
 * reorder them; so is an interval that starts before the previous interval of its model ends.
 */
public abstract class CsvTraceReader extends AbstractTraceReader {
    protected final CsvRows rows;
    private Instant last = Instant.MIN;
    private final java.util.Map<String, Instant> modelEnds = new java.util.HashMap<>();
    private long currentLine;

    protected CsvTraceReader(Path file, ReadOptions options, TraceFeatures features, List<String> requiredColumns) {
        super(features);
        this.rows = new CsvRows(file, options, requiredColumns);
    }

    /** One row as a record; throw {@link BadRowException} for a malformed row. */
    protected abstract TraceRecord parse(CSVRecord row) throws BadRowException;

    @Override
    protected final TraceRecord fetch() {
        while (true) {
            TraceRecord r = rows.next((row, line) -> {
                currentLine = line;
                return parse(row);
            });
            if (r == null) return null;
            if (r.time().isBefore(last)) {
                rows.rejectRow(currentLine, "time goes backwards: " + r.time() + " after " + last + " (rows must be sorted by time)");
                continue;
            }
            // a model's intervals must not overlap (a repeated NASA minute): their arrivals would interleave out of time
            // order, which the simulator found mid-run without the file or line
            if (r instanceof TraceRecord.IntervalCount c) {
                Instant end = modelEnds.get(c.model());
                if (end != null && c.time().isBefore(end)) {
                    rows.rejectRow(currentLine, "interval of model '" + c.model() + "' at " + c.time() + " overlaps its previous one, which ends at " + end);
                    continue;
                }
                modelEnds.put(c.model(), c.time().plus(c.length()));
            }
            last = r.time();
            return r;
        }
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
