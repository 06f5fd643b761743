package io.prescale.datasets.read;

import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceRecord;
import io.prescale.datasets.ReadOptions;
import org.apache.commons.csv.CSVRecord;

import java.nio.file.Path;
import java.util.List;

/**
 * The generic per-request format any trace can be converted to:
 * {@code timestamp,model[,input_tokens,output_tokens,service_time_s]} (columns by header name, in any
 * order; other columns are ignored; optional cells may be empty). {@code timestamp} is ISO-8601 (no
 * zone = UTC) or epoch seconds with a fraction. Rows must be sorted by time. This file's
 * {@link #features()} say which optional columns it has.
 */
public final class RequestsCsvReader extends CsvTraceReader {
    /** Everything the format can carry; a given file's reader declares what its header has. */
    public static final TraceFeatures FEATURES = new TraceFeatures(false, true, true, false, false);

    private final int time;
    private final int model;
    private final int input;
    private final int output;
    private final int service;

    private final TraceFeatures fileFeatures;

    public RequestsCsvReader(Path file, ReadOptions options) {
        super(file, options, FEATURES, List.of("timestamp", "model"));
        fileFeatures = featuresOf(rows);
        time = rows.column("timestamp");
        model = rows.column("model");
        input = rows.column("input_tokens");
        output = rows.column("output_tokens");
        service = rows.column("service_time_s");
    }

    private static TraceFeatures featuresOf(CsvRows header) {
        boolean tokens = header.hasColumn("input_tokens") || header.hasColumn("output_tokens");
        return new TraceFeatures(false, header.hasColumn("service_time_s"), tokens, false, false);
    }

    @Override
    public TraceFeatures features() {
        return fileFeatures;
    }

    @Override
    protected TraceRecord parse(CSVRecord row) throws BadRowException {
        return new TraceRecord.Request(
                Timestamps.flexible(row.get(time), "timestamp"),
                Fields.modelName(row.get(model), "model"),
                service < 0 ? Double.NaN : Fields.optionalServiceSeconds(row.get(service), "service_time_s"),
                input < 0 ? -1 : Fields.optionalNonNegativeInt(row.get(input), "input_tokens"),
                output < 0 ? -1 : Fields.optionalNonNegativeInt(row.get(output), "output_tokens"));
    }
}
