package io.prescale.datasets;

import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;
import io.prescale.datasets.read.AbstractTraceReader;

import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Several time-ordered readers merged into one time-ordered stream (e.g. Azure's code and conv files
 * as two models). Ties in time are broken by model, then by reader position, so the merge is
 * deterministic. Features are the union of the parts'.
 */
public final class MergedTraceReader extends AbstractTraceReader {

    private record Head(TraceRecord record, int source) {}

    private static final Comparator<Head> ORDER = Comparator.comparing((Head h) -> h.record.time())
            .thenComparing(h -> h.record.model())
            .thenComparingInt(Head::source);

    private final List<TraceReader> parts;
    private final PriorityQueue<Head> heads = new PriorityQueue<>(ORDER);
    private boolean started;

    public MergedTraceReader(List<? extends TraceReader> parts) {
        super(union(parts));
        this.parts = List.copyOf(parts);
    }

    private static TraceFeatures union(List<? extends TraceReader> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("nothing to merge: no readers");
        boolean perInterval = false, service = false, tokens = false, shapes = false, gaps = false;
        for (TraceReader r : parts) {
            TraceFeatures f = r.features();
            perInterval |= f.perInterval();
            service |= f.serviceTimes();
            tokens |= f.tokenCounts();
            shapes |= f.arrivalShapes();
            gaps |= f.gaps();
        }
        return new TraceFeatures(perInterval, service, tokens, shapes, gaps);
    }

    @Override
    protected TraceRecord fetch() {
        if (!started) {
            started = true;
            for (int i = 0; i < parts.size(); i++) advance(i);
        }
        Head h = heads.poll();
        if (h == null) return null;
        advance(h.source);
        return h.record;
    }

    private void advance(int source) {
        TraceReader r = parts.get(source);
        if (r.hasNext()) heads.add(new Head(r.next(), source));
    }

    @Override
    public long skippedRows() {
        long sum = 0;
        for (TraceReader r : parts) sum += r.skippedRows();
        return sum;
    }

    @Override
    public void close() {
        UncheckedIOException first = null;
        for (TraceReader r : parts) {
            try {
                r.close();
            } catch (UncheckedIOException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
