package io.prescale.datasets.read;

import io.prescale.core.trace.TraceFormatException;
import io.prescale.datasets.ReadOptions;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A CSV file with a header row, read lazily row by row (Commons CSV). It knows each row's physical
 * line number (header = line 1), checks the field count, and turns a {@link BadRowException} into a
 * {@link TraceFormatException} or, with {@link ReadOptions#skipBadRows()}, into a skipped-row count.
 * Blank lines are ignored.
 */
public final class CsvRows implements Closeable {

    /** Parses one row into a value; throws {@link BadRowException} when the row is malformed. */
    @FunctionalInterface
    public interface RowParser<T> {
        T parse(CSVRecord row, long line) throws BadRowException;
    }

    private final Path file;
    private final ReadOptions options;
    private final CSVParser parser;
    private final Iterator<CSVRecord> rows;
    private final List<String> header;
    private final Map<String, Integer> columns = new HashMap<>();
    private long skipped;
    private long headerLine = 1;
    private final java.util.Set<String> duplicated = new java.util.HashSet<>();

    /**
     * Opens {@code file} and reads its header; every name in {@code requiredColumns} must be there
     * (else an error naming line 1).
     */
    public CsvRows(Path file, ReadOptions options, List<String> requiredColumns) {
        TraceFiles.requireReadableFile(file);
        this.file = file;
        this.options = options;
        try {
            // physical line numbers need every line to be a record: blank lines are skipped here, not by the parser
            this.parser = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get().parse(TraceFiles.openText(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot open: " + e.getMessage(), e);
        }
        this.rows = parser.iterator();
        // blank lines are ignored everywhere, also before the header (a file that began with an empty line was
        // "empty trace file (no header)" though its header followed)
        CSVRecord head;
        do {
            headerLine = parser.getCurrentLineNumber() + 1;
            head = nextRaw();
        } while (head != null && isBlank(head));
        if (head == null) {
            closeQuietly();
            throw new IllegalArgumentException(file + ": empty trace file (no header)");
        }
        List<String> names = new ArrayList<>();
        for (String name : head) names.add(stripBom(name).trim());
        this.header = Collections.unmodifiableList(names);
        for (int i = 0; i < names.size(); i++) if (columns.putIfAbsent(names.get(i), i) != null) duplicated.add(names.get(i));
        for (String required : requiredColumns) {
            if (!columns.containsKey(required)) {
                closeQuietly();
                throw new TraceFormatException(file.toString(), headerLine,
                        "missing column '" + required + "' (header has: " + String.join(",", header) + ")");
            }
            column(required);
        }
    }

    private static boolean isBlank(CSVRecord row) {
        return row.size() == 1 && row.get(0).isBlank();
    }

    public List<String> header() {
        return header;
    }

    public boolean hasColumn(String name) {
        return columns.containsKey(name);
    }

    /**
     * Index of a column in the header; -1 when absent. A column the header names twice is an error naming the header's
     * line: {@code timestamp,model,model} read the first and dropped the second without a word.
     */
    public int column(String name) {
        if (duplicated.contains(name)) {
            closeQuietly();
            throw new TraceFormatException(file.toString(), headerLine, "column '" + name + "' appears more than once in the header ("
                    + String.join(",", header) + "): which one holds the " + name + " is ambiguous");
        }
        return columns.getOrDefault(name, -1);
    }

    public Path file() {
        return file;
    }

    /** Rows skipped as malformed so far. */
    public long skipped() {
        return skipped;
    }

    /** The next well-formed row parsed by {@code parser}, or null at the end of the file. */
    public <T> T next(RowParser<T> rowParser) {
        while (true) {
            long line = parser.getCurrentLineNumber() + 1;
            CSVRecord row = nextRaw();
            if (row == null) return null;
            if (isBlank(row)) continue;
            try {
                if (row.size() != header.size())
                    throw new BadRowException("expected " + header.size() + " fields (" + String.join(",", header)
                            + "), got " + row.size());
                return rowParser.parse(row, line);
            } catch (BadRowException e) {
                if (!options.skipBadRows()) throw new TraceFormatException(file.toString(), line, e.getMessage());
                skipped++;
            } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
                // a value each field check passed that is still out of range as a time (window_start_s = 1e18)
                if (!options.skipBadRows()) throw new TraceFormatException(file.toString(), line, "value out of range: " + e.getMessage());
                skipped++;
            }
        }
    }

    /** Reports a row that parsed but is wrong in context (e.g. time going backwards). */
    public void rejectRow(long line, String reason) {
        if (!options.skipBadRows()) throw new TraceFormatException(file.toString(), line, reason);
        skipped++;
    }

    private CSVRecord nextRaw() {
        long line = parser.getCurrentLineNumber() + 1;
        try {
            return rows.hasNext() ? rows.next() : null;
        } catch (UncheckedIOException | IllegalStateException e) {
            // the CSV itself is broken (e.g. an unclosed quote): the parser cannot resync, so never skippable
            throw new TraceFormatException(file.toString(), line, "unreadable CSV: " + oneLine(e));
        }
    }

    private static String oneLine(Exception e) {
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.replace('\n', ' ');
    }

    private static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }

    private void closeQuietly() {
        try {
            parser.close();
        } catch (IOException ignored) {
            // already failing with a clearer message
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot close: " + e.getMessage(), e);
        }
    }
}
