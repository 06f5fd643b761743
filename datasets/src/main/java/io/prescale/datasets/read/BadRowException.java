package io.prescale.datasets.read;

/**
 * Why one row cannot be read. Thrown by row parsers and turned into a
 * {@link io.prescale.core.trace.TraceFormatException} (file:line: reason) or a skipped-row count by the
 * reader; it carries no stack trace because it is control flow, not a bug.
 */
public final class BadRowException extends Exception {
    public BadRowException(String reason) {
        super(reason, null, false, false);
    }
}
