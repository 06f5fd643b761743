package io.prescale.simulator.engine;

import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;

import java.util.Iterator;
import java.util.List;

/** A request trace held in a list, for tiny hand-made workloads. */
final class ListTraceReader implements TraceReader {
    private final Iterator<? extends TraceRecord> it;

    ListTraceReader(List<? extends TraceRecord> records) {
        this.it = records.iterator();
    }

    @Override public TraceFeatures features() { return new TraceFeatures(false, true, false, false, false); }
    @Override public long skippedRows() { return 0; }
    @Override public void close() { }
    @Override public boolean hasNext() { return it.hasNext(); }
    @Override public TraceRecord next() { return it.next(); }
}
