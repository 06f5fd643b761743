package io.prescale.datasets.read;

import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;

import java.util.NoSuchElementException;

/** One-record lookahead over {@link #fetch()}, so every reader is a plain lazy iterator. */
public abstract class AbstractTraceReader implements TraceReader {
    private final TraceFeatures features;
    private TraceRecord lookahead;
    private boolean exhausted;

    protected AbstractTraceReader(TraceFeatures features) {
        this.features = features;
    }

    /** The next record in time order, or null at the end of the trace. */
    protected abstract TraceRecord fetch();

    @Override
    public final boolean hasNext() {
        if (lookahead == null && !exhausted) {
            lookahead = fetch();
            if (lookahead == null) exhausted = true;
        }
        return lookahead != null;
    }

    @Override
    public final TraceRecord next() {
        if (!hasNext()) throw new NoSuchElementException("end of trace");
        TraceRecord r = lookahead;
        lookahead = null;
        return r;
    }

    @Override
    public TraceFeatures features() {
        return features;
    }
}
