package io.prescale.datasets;

/**
 * How a trace is read. {@code skipBadRows}: a malformed row is skipped and counted in
 * {@link io.prescale.core.trace.TraceReader#skippedRows()} instead of stopping the read with
 * {@code file:line: reason}.
 */
public record ReadOptions(boolean skipBadRows) {
    /** Stop at the first malformed row. */
    public static final ReadOptions STRICT = new ReadOptions(false);
    /** Skip malformed rows and count them. */
    public static final ReadOptions SKIP_BAD_ROWS = new ReadOptions(true);
}
