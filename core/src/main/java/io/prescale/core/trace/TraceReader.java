package io.prescale.core.trace;

import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * A lazy, closeable stream of trace records in non-decreasing time order. Malformed rows raise
 * {@link TraceFormatException} naming file and line, unless the reader was opened to skip them, in
 * which case {@link #skippedRows()} counts them.
 */
public interface TraceReader extends Iterator<TraceRecord>, AutoCloseable {

    TraceFeatures features();

    /** Rows skipped as malformed so far. */
    long skippedRows();

    @Override
    void close() throws UncheckedIOException;
}
