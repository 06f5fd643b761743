package io.prescale.datasets.read;

import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceRecord;

import java.util.Iterator;
import java.util.List;

/**
 * A trace read whole and sorted in memory, for the small files whose rows are not in time order
 * (ServeGen groups its rows by model or client).
 */
public class LoadedTraceReader extends AbstractTraceReader {
    private final Iterator<? extends TraceRecord> records;
    private final long skipped;

    public LoadedTraceReader(TraceFeatures features, List<? extends TraceRecord> sortedRecords, long skippedRows) {
        super(features);
        this.records = sortedRecords.iterator();
        this.skipped = skippedRows;
    }

    @Override
    protected TraceRecord fetch() {
        return records.hasNext() ? records.next() : null;
    }

    @Override
    public long skippedRows() {
        return skipped;
    }

    @Override
    public void close() {
        // the file was closed after loading
    }
}
