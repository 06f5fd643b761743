package io.prescale.core.trace;

/** A trace row that cannot be read: the message starts with {@code file:line:}. */
public class TraceFormatException extends RuntimeException {
    private final String file;
    private final long line;

    public TraceFormatException(String file, long line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
    }

    public String file() { return file; }

    public long line() { return line; }
}
