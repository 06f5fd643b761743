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
 * reorder them.
 */
public abstract class CsvTraceReader extends AbstractTraceReader {
    protected final CsvRows rows;
    private Instant last = Instant.MIN;
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
