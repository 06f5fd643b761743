package io.prescale.datasets.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceFormatException;
import io.prescale.core.trace.TraceRecord;
import io.prescale.datasets.ReadOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Mooncake (Kimi) FAST'25 JSONL: one object per line with {@code timestamp} (ms from the trace start,
 * read as {@link Instant#EPOCH} + ms), {@code input_length} and {@code output_length} (tokens); other
 * fields ({@code hash_ids}) are skipped. The model is the file name without {@code _trace}
 * ({@code conversation_trace.jsonl} → {@code conversation}). Streamed line by line; blank lines are
 * ignored; a timestamp earlier than the previous one is malformed.
 */
public final class MooncakeReader extends AbstractTraceReader {
    public static final TraceFeatures FEATURES = new TraceFeatures(false, false, true, false, false);
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final ReadOptions options;
    private final BufferedReader in;
    private final String model;
    private long line;
    private long skipped;
    private Instant last = Instant.MIN;

    public MooncakeReader(Path file, ReadOptions options) {
        super(FEATURES);
        TraceFiles.requireReadableFile(file);
        this.file = file;
        this.options = options;
        this.model = modelName(file);
        this.in = TraceFiles.openText(file);
    }

    /** {@code conversation_trace.jsonl} → {@code conversation}. */
    public static String modelName(Path file) {
        String base = TraceFiles.baseName(file);
        return base.endsWith("_trace") && base.length() > 6 ? base.substring(0, base.length() - 6) : base;
    }

    @Override
    protected TraceRecord fetch() {
        while (true) {
            String text = readLine();
            if (text == null) return null;
            if (text.isBlank()) continue;
            try {
                TraceRecord.Request r = parse(text);
                if (r.time().isBefore(last))
                    throw new BadRowException("timestamp goes backwards: " + r.time() + " after " + last);
                last = r.time();
                return r;
            } catch (BadRowException e) {
                if (!options.skipBadRows()) throw new TraceFormatException(file.toString(), line, e.getMessage());
                skipped++;
            }
        }
    }

    private String readLine() {
        try {
            String s = in.readLine();
            if (s != null) line++;
            // a byte-order mark (a file saved by Notepad) is not part of the first object, as the CSV readers skip it
            if (line == 1 && s != null && s.startsWith("\uFEFF")) s = s.substring(1);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ":" + (line + 1) + ": cannot read: " + e.getMessage(), e);
        }
    }

    private TraceRecord.Request parse(String text) throws BadRowException {
        BigDecimal ms = null;
        int input = -1;
        int output = -1;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new BadRowException("not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "timestamp" -> ms = number(p, value, name);
                    case "input_length" -> input = tokens(p, value, name);
                    case "output_length" -> output = tokens(p, value, name);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) throw new BadRowException("not a JSON object");
            if (p.nextToken() != null) throw new BadRowException("text after the JSON object");
        } catch (JsonProcessingException e) {
            throw new BadRowException("bad JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRowException("bad JSON: " + e.getMessage());
        }
        if (ms == null) throw new BadRowException("missing field 'timestamp'");
        if (input < 0) throw new BadRowException("missing field 'input_length'");
        if (output < 0) throw new BadRowException("missing field 'output_length'");
        if (ms.signum() < 0) throw new BadRowException("negative timestamp: " + ms);
        Duration offset;
        try {
            offset = Duration.ofNanos(ms.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact());
        } catch (ArithmeticException e) { // past what a time holds (about 292 years of ms): once an "ArithmeticException: Overflow" without file or line
            throw new BadRowException("timestamp out of range: " + ms + " ms (at most about 292 years from the trace start)");
        }
        return new TraceRecord.Request(Timestamps.inRange(Instant.EPOCH.plus(offset), ms + " ms", "timestamp"), model, Double.NaN, input, output);
    }

    private static BigDecimal number(JsonParser p, JsonToken t, String field) throws IOException, BadRowException {
        if (!t.isNumeric()) throw new BadRowException(field + " is not a number: " + p.getText());
        return p.getDecimalValue();
    }

    private static int tokens(JsonParser p, JsonToken t, String field) throws IOException, BadRowException {
        if (t != JsonToken.VALUE_NUMBER_INT) throw new BadRowException(field + " is not a whole number: " + p.getText());
        long v = p.getLongValue();
        if (v < 0 || v > Integer.MAX_VALUE) throw new BadRowException(field + " out of range: " + v);
        return (int) v;
    }

    @Override
    public long skippedRows() {
        return skipped;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot close: " + e.getMessage(), e);
        }
    }
}
